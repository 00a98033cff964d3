package io.bamqp.proxy.aggregation;

import java.util.random.RandomGenerator;

/** Random choices fixed for a test: every draw is the lowest, or the highest, it may be. */
final class FixedPicks {
  private FixedPicks() {}

  /** Zero for every draw: the first block of every range. */
  static RandomGenerator first() {
    return bounded(false);
  }

  /** {@code bound - 1} for every bounded draw: the last block of every range. */
  static RandomGenerator last() {
    return bounded(true);
  }

  private static RandomGenerator bounded(boolean highest) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public double nextDouble() {
        return 0;
      }

      @Override
      public long nextLong(long bound) {
        return highest ? bound - 1 : 0;
      }
    };
  }
}
