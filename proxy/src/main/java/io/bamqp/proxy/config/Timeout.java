package io.bamqp.proxy.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as the config writes them: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}.
 */
final class Timeout {
  private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

  private Timeout() {}

  static Duration parse(String text) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (examples: 500ms, 10s, 2m, 1h)");
    }
    long value = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(value);
      case "s" -> Duration.ofSeconds(value);
      case "m" -> Duration.ofMinutes(value);
      default -> Duration.ofHours(value);
    };
  }
}
