package io.bamqp.security;

import static io.bamqp.security.Fuzz.anyLong;
import static io.bamqp.security.Fuzz.bytes;
import static io.bamqp.security.Fuzz.of;
import static io.bamqp.security.Fuzz.oneOf;
import static io.bamqp.security.Fuzz.range;
import static io.bamqp.security.Fuzz.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.Fuzz.Gen;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests of the encoding signatures are made over: for a fixed order of fields the
 * encoding reads back to exactly the fields written, so two different field lists (or labels) never
 * sign the same bytes.
 */
class CanonicalFuzzTest {

  /** One field: text (possibly null), bytes (possibly null) or a number. */
  record Field(char kind, String text, byte[] bytes, long number) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Field that
          && kind == that.kind
          && Objects.equals(text, that.text)
          && Arrays.equals(bytes, that.bytes)
          && number == that.number;
    }

    @Override
    public int hashCode() {
      return Objects.hash(kind, text, Arrays.hashCode(bytes), number);
    }
  }

  private static final Gen<String> LABELS =
      of("bamqp-request-v1", "bamqp-chunk-v1", "", "bamqp-request-v1\0");

  /** Texts that survive UTF-8 both ways: no lone surrogates (they encode as '?'). */
  private static final Gen<List<Field>> FIELD_LISTS =
      oneOf(
              strings(range('\0', '\ud7ff'), 0, 12)
                  .orNull(0.1)
                  .map(t -> new Field('t', t, null, 0)),
              bytes(0, 12).orNull(0.1).map(b -> new Field('b', null, b, 0)),
              anyLong().map(n -> new Field('n', null, null, n)))
          .list(0, 8);

  record Encoded(String label, List<Field> fields) {}

  @Test
  void theEncodingReadsBackToTheLabelAndFieldsWritten() {
    Fuzz.check(
        "theEncodingReadsBackToTheLabelAndFieldsWritten",
        2000,
        List.of(
            new Encoded("", List.of()),
            new Encoded("bamqp-request-v1", List.of(new Field('t', null, null, 0))),
            new Encoded("bamqp-request-v1", List.of(new Field('t', "", null, 0))),
            new Encoded("bamqp-request-v1", List.of(new Field('b', null, null, 0))),
            new Encoded("bamqp-request-v1", List.of(new Field('b', null, new byte[0], 0))),
            new Encoded("", List.of(new Field('n', null, null, -1))),
            new Encoded("", List.of(new Field('n', null, null, Long.MIN_VALUE)))),
        random -> new Encoded(LABELS.apply(random), FIELD_LISTS.apply(random)),
        input -> {
          List<Field> fields = input.fields();
          byte[] encoded = encode(input.label(), fields);

          ByteBuffer in = ByteBuffer.wrap(encoded);
          assertThat(readText(in)).isEqualTo(input.label());
          List<Field> read = new ArrayList<>();
          for (Field field : fields) {
            read.add(
                switch (field.kind()) {
                  case 't' -> new Field('t', readText(in), null, 0);
                  case 'b' -> new Field('b', null, readBytes(in), 0);
                  default -> new Field('n', null, null, in.getLong());
                });
          }
          assertThat(in.hasRemaining()).as("bytes after the last field").isFalse();
          assertThat(read).isEqualTo(fields);
        });
  }

  record Pair(String label, List<Field> fields, List<Field> others) {}

  @Test
  void differentFieldsInTheSameOrderNeverEncodeTheSameBytes() {
    Fuzz.check(
        "differentFieldsInTheSameOrderNeverEncodeTheSameBytes",
        1000,
        List.of(
            new Pair(
                "", List.of(new Field('t', null, null, 0)), List.of(new Field('t', "", null, 0))),
            new Pair(
                "",
                List.of(new Field('b', null, null, 0)),
                List.of(new Field('b', null, new byte[0], 0)))),
        random ->
            new Pair(LABELS.apply(random), FIELD_LISTS.apply(random), FIELD_LISTS.apply(random)),
        input -> {
          List<Field> fields = input.fields();
          List<Field> sameShape = new ArrayList<>();
          for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            Field other = i < input.others().size() ? input.others().get(i) : field;
            sameShape.add(other.kind() == field.kind() ? other : field);
          }
          boolean same =
              Arrays.equals(encode(input.label(), fields), encode(input.label(), sameShape));
          assertThat(same).isEqualTo(fields.equals(sameShape));
        });
  }

  private static byte[] encode(String label, List<Field> fields) {
    Canonical canonical = Canonical.labelled(label);
    for (Field field : fields) {
      switch (field.kind()) {
        case 't' -> canonical.text(field.text());
        case 'b' -> canonical.bytes(field.bytes());
        default -> canonical.number(field.number());
      }
    }
    return canonical.toBytes();
  }

  private static String readText(ByteBuffer in) {
    byte[] bytes = readBytes(in);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(ByteBuffer in) {
    int length = in.getInt();
    if (length == -1) {
      return null;
    }
    assertThat(length).isBetween(0, in.remaining());
    byte[] bytes = new byte[length];
    in.get(bytes);
    return bytes;
  }
}
