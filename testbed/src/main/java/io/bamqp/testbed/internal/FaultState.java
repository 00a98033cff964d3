package io.bamqp.testbed.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault knobs and the object version of one origin. Tests flip knobs from any thread; the
 * origin reads them once per response ({@link #planFor}), so a change applies to responses that
 * start afterwards. The version countdown runs across all responses and all addresses.
 */
public final class FaultState {

  /** A knob's value meaning "off". */
  public static final long OFF = -1;

  private final AtomicLong version = new AtomicLong();
  private final AtomicLong versionCountdown = new AtomicLong(OFF);
  private volatile boolean ignoreRange;
  private volatile long resetAfter = OFF;
  private volatile long stallAfter = OFF;
  private volatile String onlyFor;

  public long version() {
    return version.get();
  }

  public void changeVersionNow() {
    version.incrementAndGet();
  }

  public void changeVersionAfter(long bytes) {
    versionCountdown.set(requireNonNegative(bytes));
  }

  public void ignoreRange(boolean ignore) {
    this.ignoreRange = ignore;
  }

  public void resetAfter(long bytes) {
    this.resetAfter = requireNonNegative(bytes);
  }

  public void stallAfter(long bytes) {
    this.stallAfter = requireNonNegative(bytes);
  }

  public void onlyFor(String address) {
    this.onlyFor = address;
  }

  public void clear() {
    ignoreRange = false;
    resetAfter = OFF;
    stallAfter = OFF;
    onlyFor = null;
    versionCountdown.set(OFF);
  }

  public boolean ignoresRange() {
    return ignoreRange;
  }

  public long resetAfter() {
    return resetAfter;
  }

  public long stallAfter() {
    return stallAfter;
  }

  public String onlyFor() {
    return onlyFor;
  }

  public long versionCountdown() {
    return versionCountdown.get();
  }

  /** The knobs that apply to a response starting now for a client at {@code address}. */
  public FaultPlan planFor(String address) {
    String scope = onlyFor;
    if (scope != null && !scope.equals(address)) {
      return FaultPlan.NONE;
    }
    return new FaultPlan(ignoreRange, resetAfter, stallAfter);
  }

  /** Counts served body bytes toward an armed version change; fires it once. */
  public void onBytesServed(long bytes) {
    while (true) {
      long left = versionCountdown.get();
      if (left < 0) {
        return;
      }
      long next = left - bytes;
      if (next <= 0) {
        if (versionCountdown.compareAndSet(left, OFF)) {
          version.incrementAndGet();
          return;
        }
      } else if (versionCountdown.compareAndSet(left, next)) {
        return;
      }
    }
  }

  private static long requireNonNegative(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes < 0: " + bytes);
    }
    return bytes;
  }
}
