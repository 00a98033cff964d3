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
}
