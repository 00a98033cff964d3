package io.bamqp.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.HangDetector;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based tests of the config's sizes and durations: any text is a value or an {@link
 * IllegalArgumentException} / {@link ArithmeticException} (the two the config loader turns into a
 * message naming the setting), never a negative value, and what a size prints reads back to itself.
 */
class ConfigValuesFuzzTest {

  @Property(tries = 2000)
  void anySizeTextIsANonNegativeSizeThatPrintsBackToItselfOrIsRefused(@ForAll("sizes") String text)
      throws Exception {
    ByteSize size;
    try {
      size = HangDetector.call(() -> ByteSize.parse(text));
    } catch (IllegalArgumentException | ArithmeticException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    assertThat(size.bytes()).isNotNegative();
    assertThat(ByteSize.parse(size.toString())).isEqualTo(size);
  }

  @Property(tries = 1000)
  void everySizePrintsAsTextThatReadsBackToIt(@ForAll("byteCounts") long bytes) {
    ByteSize size = new ByteSize(bytes);
    assertThat(ByteSize.parse(size.toString())).isEqualTo(size);
  }

  @Property(tries = 2000)
  void anyDurationTextIsANonNegativeDurationOrIsRefused(@ForAll("durations") String text)
      throws Exception {
    Duration duration;
    try {
      duration = HangDetector.call(() -> Timeout.parse(text));
    } catch (IllegalArgumentException | ArithmeticException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    assertThat(duration.isNegative()).isFalse();
    assertThat(Timeout.parse(duration.getSeconds() + "s").plusNanos(duration.getNano()))
        .isEqualTo(duration);
  }

  @Provide
  Arbitrary<Long> byteCounts() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(0, Long.MAX_VALUE),
        Arbitraries.integers().between(0, 1 << 20).map(n -> (long) n << 10),
        Arbitraries.integers().between(0, 1 << 20).map(n -> (long) n << 30));
  }

  @Provide
  Arbitrary<String> sizes() {
    Arbitrary<String> valid =
        Combinators.combine(
                Arbitraries.of(
                    "0", "1", "8192", "64", "9223372036854775807", "9223372036854775808", "08"),
                Arbitraries.of("", " ", "  \t"),
                Arbitraries.of("", "B", "KB", "KiB", "MB", "MiB", "GB", "GiB", "kib", "TiB", "iB"))
            .as((n, space, unit) -> n + space + unit);
    return Arbitraries.oneOf(
        valid,
        mutated(valid),
        Arbitraries.strings().withChars("0123456789 KMGiBb-+.e\u0660\uff11").ofMaxLength(25));
  }

  @Provide
  Arbitrary<String> durations() {
    Arbitrary<String> valid =
        Combinators.combine(
                Arbitraries.of("0", "1", "500", "10", "1000", "9223372036854775807", "99999999999"),
                Arbitraries.of("", " "),
                Arbitraries.of("ms", "s", "m", "h", "", "d", "MS"))
            .as((n, space, unit) -> n + space + unit);
    return Arbitraries.oneOf(
        valid,
        mutated(valid),
        Arbitraries.strings().withChars("0123456789 mshd-+.\u0660").ofMaxLength(25));
  }

  private static Arbitrary<String> mutated(Arbitrary<String> texts) {
    return Combinators.combine(
            texts,
            Arbitraries.of('-', '+', ' ', '\0', '\n', '.', 'x', '\u0660', '9'),
            Arbitraries.integers().between(0, 100),
            Arbitraries.integers().between(0, 2))
        .as(
            (text, c, where, how) -> {
              int at = text.isEmpty() ? 0 : where % (text.length() + 1);
              return switch (how) {
                case 0 -> text.substring(0, at) + c + text.substring(at);
                case 1 ->
                    at < text.length() ? text.substring(0, at) + c + text.substring(at + 1) : text;
                default -> text.substring(0, at);
              };
            });
  }
}
