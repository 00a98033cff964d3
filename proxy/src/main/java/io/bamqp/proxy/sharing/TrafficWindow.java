package io.bamqp.proxy.sharing;

import java.util.ArrayDeque;

/**
 * The arithmetic of {@link OwnTraffic}: bytes per tick kept over a sliding window, and a busy state
 * with hysteresis. Busy as soon as the window's rate reaches the threshold; idle again only once
 * the rate has stayed below it for the whole idle delay, so a download that dips for a moment keeps
 * neighbor work yielded.
 *
 * <p>Time is passed in, never read. Confined to the meter's timer.
 */
final class TrafficWindow {
  private final long busyBytesPerSecond;
  private final long windowNanos;
  private final long idleAfterNanos;
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();
  private long bytesInWindow;
  private boolean busy;
  private long lastAboveNanos;

  TrafficWindow(long busyBytesPerSecond, long windowNanos, long idleAfterNanos) {
    if (busyBytesPerSecond < 1 || windowNanos < 1 || idleAfterNanos < 0) {
      throw new IllegalArgumentException("threshold and window must be positive");
    }
    this.busyBytesPerSecond = busyBytesPerSecond;
    this.windowNanos = windowNanos;
    this.idleAfterNanos = idleAfterNanos;
  }

  /** Records the bytes delivered since the last call, at {@code nowNanos}; answers busy or not. */
  boolean record(long bytes, long nowNanos) {
    if (bytes > 0) {
      samples.addLast(new long[] {nowNanos, bytes});
      bytesInWindow += bytes;
    }
    while (!samples.isEmpty() && samples.peekFirst()[0] <= nowNanos - windowNanos) {
      bytesInWindow -= samples.removeFirst()[1];
    }
    if (bytesPerSecond() >= busyBytesPerSecond) {
      busy = true;
      lastAboveNanos = nowNanos;
    } else if (busy && nowNanos - lastAboveNanos >= idleAfterNanos) {
      busy = false;
    }
    return busy;
  }

  /** The rate over the window as last recorded. */
  double bytesPerSecond() {
    return bytesInWindow * 1e9 / windowNanos;
  }

  boolean busy() {
    return busy;
  }

  /** Idle with nothing left in the window: the meter's timer may stop until bytes flow again. */
  boolean quiet() {
    return !busy && samples.isEmpty();
  }
}
