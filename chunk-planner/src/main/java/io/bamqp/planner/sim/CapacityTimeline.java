package io.bamqp.planner.sim;

import java.util.Map;
import java.util.TreeMap;

/**
 * The capacity that really existed during a run, as it changed: the sum of the live sources' true
 * rates, capped by the client. Integrating it gives the time a perfect planner would need.
 */
final class CapacityTimeline {
  private final long clientBytesPerSec;
  private final TreeMap<Long, Double> rateFrom = new TreeMap<>();

  CapacityTimeline(long clientBytesPerSec) {
    this.clientBytesPerSec = clientBytesPerSec;
  }

  /** From {@code atNanos} on, the live sources sum to {@code bytesPerSec}. */
  void set(long atNanos, double bytesPerSec) {
    rateFrom.put(atNanos, Math.min(bytesPerSec, clientBytesPerSec));
  }

  /** When {@code bytes} could have been delivered at the recorded capacity. */
  long idealNanos(long bytes) {
    double left = bytes;
    Map.Entry<Long, Double> e = rateFrom.firstEntry();
    while (e != null) {
      Map.Entry<Long, Double> next = rateFrom.higherEntry(e.getKey());
      double rate = e.getValue();
      double span = next == null ? Double.MAX_VALUE : (next.getKey() - e.getKey()) / 1e9;
      if (rate > 0 && left <= rate * span) {
        return e.getKey() + (long) Math.ceil(left / rate * 1e9);
      }
      left -= rate * span;
      e = next;
    }
    return Long.MAX_VALUE;
  }
}
