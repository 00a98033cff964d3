package io.bamqp.testbed.internal;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses sizes as written in URLs and configs: {@code 123}, {@code 123B}, binary {@code 64KiB},
 * {@code 8MiB}, {@code 1GiB}, {@code 1TiB}, or decimal {@code 10KB}, {@code 5MB}, {@code 1GB}.
 * Units are matched case-insensitively.
 */
public final class ByteSizes {

  private static final Pattern SIZE = Pattern.compile("(\\d{1,19})([A-Za-z]*)");
  private static final Map<String, Long> UNITS =
      Map.of(
          "", 1L,
          "b", 1L,
          "kib", 1L << 10,
          "mib", 1L << 20,
          "gib", 1L << 30,
          "tib", 1L << 40,
          "kb", 1_000L,
          "mb", 1_000_000L,
          "gb", 1_000_000_000L,
          "tb", 1_000_000_000_000L);

  private ByteSizes() {}

  /** The size in bytes, or -1 when {@code text} is not a size or does not fit in a long. */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      return -1;
    }
    Long unit = UNITS.get(m.group(2).toLowerCase(Locale.ROOT));
    if (unit == null) {
      return -1;
    }
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
    } catch (ArithmeticException | NumberFormatException tooLarge) {
      return -1;
    }
  }
}
