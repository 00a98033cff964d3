package io.bamqp.proxy.aggregation;

import java.util.Objects;

/**
 * One of the node's own Internet lines ({@code wan.lines}): a source of its own for aggregated
 * downloads, whose Range requests leave from {@code bindAddress}. The OS routes a socket bound to
 * that address out of that line (policy routing; see the README's multi-WAN section).
 *
 * @param name the line's name on the page, in logs and in {@code /api/downloads}
 * @param bindAddress the numeric source address of its connections
 * @param bytesPerSecond its nominal rate, the planner's first guess until it is measured
 * @param metered whether its traffic is counted against {@code monthlyCapBytes} and it is used only
 *     for downloads of at least {@code minBytes}
 * @param monthlyCapBytes a metered line's monthly volume; -1 for none
 * @param minBytes a metered line takes part only in downloads at least this large
 */
public record WanLine(
    String name,
    String bindAddress,
    long bytesPerSecond,
    boolean metered,
    long monthlyCapBytes,
    long minBytes) {

  /** No monthly cap. */
  public static final long NO_CAP = -1;

  public WanLine {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bindAddress, "bindAddress");
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("bytesPerSecond must be at least 1: " + bytesPerSecond);
    }
  }

  /** An unmetered line. */
  public static WanLine unmetered(String name, String bindAddress, long bytesPerSecond) {
    return new WanLine(name, bindAddress, bytesPerSecond, false, NO_CAP, 0);
  }
}
