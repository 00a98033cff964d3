package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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

  @Property(tries = 2000)
  void theEncodingReadsBackToTheLabelAndFieldsWritten(
      @ForAll("labels") String label, @ForAll("fieldLists") List<Field> fields) {
    byte[] encoded = encode(label, fields);

    ByteBuffer in = ByteBuffer.wrap(encoded);
    assertThat(readText(in)).isEqualTo(label);
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
  }

  @Property(tries = 1000)
  void differentFieldsInTheSameOrderNeverEncodeTheSameBytes(
      @ForAll("labels") String label,
      @ForAll("fieldLists") List<Field> fields,
      @ForAll("fieldLists") List<Field> others) {
    List<Field> sameShape = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      Field field = fields.get(i);
      Field other = i < others.size() ? others.get(i) : field;
      sameShape.add(other.kind() == field.kind() ? other : field);
    }
    boolean same = Arrays.equals(encode(label, fields), encode(label, sameShape));
    assertThat(same).isEqualTo(fields.equals(sameShape));
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

  @Provide
  Arbitrary<String> labels() {
    return Arbitraries.of("bamqp-request-v1", "bamqp-chunk-v1", "", "bamqp-request-v1\0");
  }

  @Provide
  Arbitrary<List<Field>> fieldLists() {
    // Texts that survive UTF-8 both ways: no lone surrogates (they encode as '?').
    Arbitrary<String> texts =
        Arbitraries.strings().withCharRange('\0', '\ud7ff').ofMaxLength(12).injectNull(0.1);
    Arbitrary<Field> text = texts.map(t -> new Field('t', t, null, 0));
    Arbitrary<Field> bytes =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMaxSize(12)
            .injectNull(0.1)
            .map(b -> new Field('b', null, b, 0));
    Arbitrary<Field> number = Arbitraries.longs().map(n -> new Field('n', null, null, n));
    return Arbitraries.oneOf(text, bytes, number).list().ofMaxSize(8);
  }
}
