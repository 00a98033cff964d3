package io.bamqp.planner.sim;

import java.util.List;

/**
 * Many downloads over shared lines, for {@link NodeSimulator}: homes (each with its own line and
 * its own {@link io.bamqp.planner.SlotAllocator}), helpers shared by every home, and the downloads
 * each home's clients start.
 *
 * @param name shown in reports
 * @param homeLines each home's line, bytes per second; a download names its home by index
 * @param helpers the neighbors' lines, shared by all homes
 * @param downloads when each download starts, at which home, how big, how fast its client reads
 * @param switchNanos how long a slot granted to a download stays idle before its bytes flow (the
 *     offer's round trip and the first range's)
 */
public record NodeScenario(
    String name,
    List<Long> homeLines,
    List<Helper> helpers,
    List<Download> downloads,
    long switchNanos) {

  /** A helper's line: {@code bytesPerSec} in all, shared by at most {@code slots} jobs. */
  public record Helper(String id, long bytesPerSec, int slots) {}

  /**
   * One download.
   *
   * @param home index into {@link #homeLines()}
   * @param startNanos when its client asks for it
   * @param bytes its size
   * @param clientBytesPerSec how fast its client reads; {@link Scenario#UNLIMITED} when it keeps up
   */
  public record Download(int home, long startNanos, long bytes, long clientBytesPerSec) {}

  public NodeScenario {
    homeLines = List.copyOf(homeLines);
    helpers = List.copyOf(helpers);
    downloads = List.copyOf(downloads);
  }
}
