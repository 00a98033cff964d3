package io.bamqp.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, Awaitility-style: the test states what, not how long. */
final class Eventually {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final long POLL_MILLIS = 100;

  private Eventually() {}

  /** Returns as soon as {@code condition} holds; fails with {@code what} after the deadline. */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within " + DEADLINE.toSeconds() + " s: " + what);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /** The first non-null value {@code probe} gives; fails with {@code what} after the deadline. */
  static <T> T value(String what, java.util.concurrent.Callable<T> probe) throws Exception {
    return value(what, DEADLINE, probe);
  }

  /** The first non-null value {@code probe} gives; fails with {@code what} after {@code limit}. */
  static <T> T value(String what, Duration limit, java.util.concurrent.Callable<T> probe)
      throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    for (T value = probe.call(); ; value = probe.call()) {
      if (value != null) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within " + limit.toSeconds() + " s: " + what);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }
}
