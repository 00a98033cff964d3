package io.bamqp.proxy.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes as the config writes it: {@code 8192}, {@code 64KiB}, {@code 8MiB}, {@code 1GiB}
 * (binary units; {@code KB}/{@code MB}/{@code GB} are decimal).
 */
public record ByteSize(long bytes) {
  private static final Pattern FORM =
      Pattern.compile("(\\d+)\\s*(B|KB|KiB|MB|MiB|GB|GiB)?", Pattern.CASE_INSENSITIVE);

  public ByteSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("a size cannot be negative: " + bytes);
    }
  }

  public static ByteSize ofMebibytes(long mebibytes) {
    return new ByteSize(mebibytes << 20);
  }

  /** Parses the config form; throws {@link IllegalArgumentException} naming the text. */
  public static ByteSize parse(String text) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size (examples: 8192, 64KiB, 8MiB, 1GiB)");
    }
    long value = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    long factor =
        switch (unit) {
          case "KB" -> 1_000L;
          case "KIB" -> 1L << 10;
          case "MB" -> 1_000_000L;
          case "MIB" -> 1L << 20;
          case "GB" -> 1_000_000_000L;
          case "GIB" -> 1L << 30;
          default -> 1L;
        };
    return new ByteSize(Math.multiplyExact(value, factor));
  }

  /** The size as an {@code int}, for Vert.x options; sizes above 2 GiB are refused. */
  public int toIntExact() {
    return Math.toIntExact(bytes);
  }

  @Override
  public String toString() {
    if (bytes != 0 && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + "GiB";
    }
    if (bytes != 0 && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + "MiB";
    }
    if (bytes != 0 && bytes % (1L << 10) == 0) {
      return (bytes >> 10) + "KiB";
    }
    return Long.toString(bytes);
  }
}
