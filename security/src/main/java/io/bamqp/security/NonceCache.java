package io.bamqp.security;

import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The replay guard of signed requests: a (peer, nonce) is accepted once, and only when its time is
 * within {@link #window()} of the helper's clock. A nonce is remembered until its time leaves the
 * window, so memory holds at most the requests of one window, capped at {@link #maxEntries()}.
 *
 * <p>When the cap is reached with nothing expired (a flood), the oldest entry is forgotten and
 * every request not newer than it is refused as outside the window from then on: the window
 * shrinks, a replay is never accepted. Time is passed in, never read.
 *
 * <p>Not thread-safe: confine it to one thread (a helper keeps one on its event loop).
 */
public final class NonceCache {
  /** Default tolerance between the home's clock and the helper's: ±60 s. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);

  /**
   * Default cap on remembered nonces (16 384, about 2 MiB): 136 requests a second for a whole
   * window, far above what neighbors send.
   */
  public static final int DEFAULT_MAX_ENTRIES = 16_384;

  /** What {@link #check} decided. */
  public enum Verdict {
    /** First sight, within the window: accepted and remembered. */
    FRESH,
    /** Seen before: refused. */
    REPLAYED,
    /** Too far from the helper's clock (or older than what a full cache remembers): refused. */
    OUTSIDE_WINDOW
  }

  private record Seen(String key, long timeMillis) {}

  private final long windowMillis;
  private final int maxEntries;
  private final Set<String> keys = new HashSet<>();
  private final PriorityQueue<Seen> byTime =
      new PriorityQueue<>((a, b) -> Long.compare(a.timeMillis, b.timeMillis));
  private long floorMillis = Long.MIN_VALUE;

  /** A cache with {@link #DEFAULT_WINDOW} and {@link #DEFAULT_MAX_ENTRIES}. */
  public NonceCache() {
    this(DEFAULT_WINDOW, DEFAULT_MAX_ENTRIES);
  }

  public NonceCache(Duration window, int maxEntries) {
    if (window.isNegative() || maxEntries < 1) {
      throw new IllegalArgumentException("need a window >= 0 and maxEntries >= 1");
    }
    this.windowMillis = window.toMillis();
    this.maxEntries = maxEntries;
  }

  /** Decides on a request of {@code peer} with {@code nonce} made at {@code timeMillis}. */
  public Verdict check(PeerId peer, byte[] nonce, long timeMillis, long nowMillis) {
    if (Math.abs(timeMillis - nowMillis) > windowMillis) {
      return Verdict.OUTSIDE_WINDOW;
    }
    while (!byTime.isEmpty() && byTime.peek().timeMillis < nowMillis - windowMillis) {
      keys.remove(byTime.poll().key);
    }
    String key = peer + "/" + Base64.getEncoder().encodeToString(nonce);
    if (keys.contains(key)) {
      return Verdict.REPLAYED;
    }
    while (keys.size() >= maxEntries) {
      Seen oldest = byTime.poll();
      keys.remove(oldest.key);
      floorMillis = Math.max(floorMillis, oldest.timeMillis);
    }
    if (timeMillis <= floorMillis) {
      return Verdict.OUTSIDE_WINDOW;
    }
    keys.add(key);
    byTime.add(new Seen(key, timeMillis));
    return Verdict.FRESH;
  }

  /** How far a request's time may be from the helper's clock. */
  public Duration window() {
    return Duration.ofMillis(windowMillis);
  }

  /** The most nonces remembered at once. */
  public int maxEntries() {
    return maxEntries;
  }

  /** Nonces remembered now. */
  public int size() {
    return keys.size();
  }
}
