package io.bamqp.proxy.config;

import static io.bamqp.security.Fuzz.ints;
import static io.bamqp.security.Fuzz.longs;
import static io.bamqp.security.Fuzz.of;
import static io.bamqp.security.Fuzz.oneOf;
import static io.bamqp.security.Fuzz.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.Fuzz;
import io.bamqp.security.Fuzz.Gen;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests of the config's sizes and durations: any text is a value or an {@link
 * IllegalArgumentException} / {@link ArithmeticException} (the two the config loader turns into a
 * message naming the setting), never a negative value, and what a size prints reads back to itself.
 */
class ConfigValuesFuzzTest {
  private static final String HOSTILE = "-+ \0\n.x\u06609";
  private static final List<String> EDGE_CASES =
      List.of("", " ", "-0", "-1", "0", "9223372036854775807", "9223372036854775808", "1e3");

  @Test
  void anySizeTextIsANonNegativeSizeThatPrintsBackToItselfOrIsRefused() {
    Gen<String> numbers =
        of("0", "1", "8192", "64", "9223372036854775807", "9223372036854775808", "08");
    Gen<String> spaces = of("", " ", "  \t");
    Gen<String> units = of("", "B", "KB", "KiB", "MB", "MiB", "GB", "GiB", "kib", "TiB", "iB");
    Gen<String> valid =
        random -> numbers.apply(random) + spaces.apply(random) + units.apply(random);
    Gen<String> sizes =
        oneOf(
            valid,
            Fuzz.mutated(valid, HOSTILE),
            strings("0123456789 KMGiBb-+.e\u0660\uff11", 0, 25));
    Fuzz.check(
        "anySizeTextIsANonNegativeSizeThatPrintsBackToItselfOrIsRefused",
        2000,
        EDGE_CASES,
        sizes,
        text -> {
          ByteSize size;
          try {
            size = ByteSize.parse(text);
          } catch (IllegalArgumentException | ArithmeticException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
          }
          assertThat(size.bytes()).isNotNegative();
          assertThat(ByteSize.parse(size.toString())).isEqualTo(size);
        });
  }

  @Test
  void everySizePrintsAsTextThatReadsBackToIt() {
    Gen<Long> byteCounts =
        oneOf(
            longs(0, Long.MAX_VALUE),
            ints(0, 1 << 20).map(n -> (long) n << 10),
            ints(0, 1 << 20).map(n -> (long) n << 30));
    Fuzz.check(
        "everySizePrintsAsTextThatReadsBackToIt",
        1000,
        List.of(0L, 1L, 1023L, 1024L, 1L << 30, (1L << 30) - 1, Long.MAX_VALUE),
        byteCounts,
        bytes -> {
          ByteSize size = new ByteSize(bytes);
          assertThat(ByteSize.parse(size.toString())).isEqualTo(size);
        });
  }

  @Test
  void anyDurationTextIsANonNegativeDurationOrIsRefused() {
    Gen<String> numbers = of("0", "1", "500", "10", "1000", "9223372036854775807", "99999999999");
    Gen<String> spaces = of("", " ");
    Gen<String> units = of("ms", "s", "m", "h", "", "d", "MS");
    Gen<String> valid =
        random -> numbers.apply(random) + spaces.apply(random) + units.apply(random);
    Gen<String> durations =
        oneOf(valid, Fuzz.mutated(valid, HOSTILE), strings("0123456789 mshd-+.\u0660", 0, 25));
    Fuzz.check(
        "anyDurationTextIsANonNegativeDurationOrIsRefused",
        2000,
        EDGE_CASES,
        durations,
        text -> {
          Duration duration;
          try {
            duration = Timeout.parse(text);
          } catch (IllegalArgumentException | ArithmeticException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
          }
          assertThat(duration.isNegative()).isFalse();
          assertThat(Timeout.parse(duration.getSeconds() + "s").plusNanos(duration.getNano()))
              .isEqualTo(duration);
        });
  }
}
