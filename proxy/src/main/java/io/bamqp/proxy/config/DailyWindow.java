package io.bamqp.proxy.config;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;

/**
 * A window of the day in local time, written {@code 01:00-07:00}; it may wrap midnight ({@code
 * 22:00-06:00}). {@link #ALWAYS} is the whole day.
 */
public record DailyWindow(LocalTime start, LocalTime end) {
  /** No restriction. */
  public static final DailyWindow ALWAYS = new DailyWindow(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);

  /** Parses {@code HH:MM-HH:MM}. */
  public static DailyWindow parse(String text) {
    String[] ends = text.trim().split("\\s*-\\s*");
    if (ends.length != 2) {
      throw new IllegalArgumentException("'" + text + "' is not a daily window like 01:00-07:00");
    }
    try {
      return new DailyWindow(LocalTime.parse(ends[0]), LocalTime.parse(ends[1]));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a daily window like 01:00-07:00 (times are HH:MM, 00:00-23:59)");
    }
  }

  /** Whether {@code time} falls inside the window (start inclusive, end exclusive). */
  public boolean contains(LocalTime time) {
    if (start.equals(end)) {
      return true;
    }
    return start.isBefore(end)
        ? !time.isBefore(start) && time.isBefore(end)
        : !time.isBefore(start) || time.isBefore(end);
  }

  @Override
  public String toString() {
    return start.equals(end) ? "always" : start + "-" + end;
  }
}
