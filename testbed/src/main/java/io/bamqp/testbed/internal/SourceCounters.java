package io.bamqp.testbed.internal;

import io.bamqp.testbed.SourceStats;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live counters per source address. Written on the origin's event loop, read from any thread (test
 * threads poll them), hence atomics rather than plain fields.
 */
public final class SourceCounters {

  private final ConcurrentHashMap<String, Counters> byAddress = new ConcurrentHashMap<>();
  private final AtomicLong totalBytes = new AtomicLong();
  private final AtomicLong totalWriteQueueFull = new AtomicLong();

  /** The live counters of one address, created on first use. */
  public Counters of(String address) {
    return byAddress.computeIfAbsent(address, a -> new Counters(a, this));
  }

  public SourceStats snapshot(String address) {
    Counters c = byAddress.get(address);
    return c == null ? SourceStats.none(address) : c.snapshot();
  }

  public Map<String, SourceStats> snapshot() {
    Map<String, SourceStats> all = new TreeMap<>();
    byAddress.forEach((address, c) -> all.put(address, c.snapshot()));
    return all;
  }

  public long totalBytes() {
    return totalBytes.get();
  }

  public long totalWriteQueueFull() {
    return totalWriteQueueFull.get();
  }

  /** The counters of one address. */
  public static final class Counters {
    private final String address;
    private final SourceCounters totals;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong open = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong writeQueueFull = new AtomicLong();

    private Counters(String address, SourceCounters totals) {
      this.address = address;
      this.totals = totals;
    }

    public void connectionOpened() {
      connections.incrementAndGet();
      open.incrementAndGet();
    }

    public void connectionClosed() {
      open.decrementAndGet();
    }

    public void request() {
      requests.incrementAndGet();
    }

    public void bytesSent(long n) {
      bytes.addAndGet(n);
      totals.totalBytes.addAndGet(n);
    }

    public void writeQueueFull() {
      writeQueueFull.incrementAndGet();
      totals.totalWriteQueueFull.incrementAndGet();
    }

    SourceStats snapshot() {
      return new SourceStats(
          address,
          connections.get(),
          open.get(),
          requests.get(),
          bytes.get(),
          writeQueueFull.get());
    }
  }
}
