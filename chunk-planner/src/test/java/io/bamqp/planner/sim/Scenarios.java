package io.bamqp.planner.sim;

import java.util.ArrayList;
import java.util.List;

/** Builders for the realistic scenarios the tests run: sizes, rates and RTTs of home lines. */
final class Scenarios {
  static final long MIB = 1L << 20;
  static final long MS = 1_000_000L;

  /** 10 Mbit/s. */
  static final long MBIT_10 = 1_250_000L;

  /** 20 Mbit/s. */
  static final long MBIT_20 = 2_500_000L;

  /** 40 Mbit/s. */
  static final long MBIT_40 = 5_000_000L;

  private Scenarios() {}

  /** {@code count} sources cycling through {@code rates}, RTTs spread evenly from min to max. */
  static List<SourceModel> sources(int count, long[] rates, long minRttMs, long maxRttMs) {
    List<SourceModel> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long rtt = count == 1 ? minRttMs : minRttMs + (maxRttMs - minRttMs) * i / (count - 1);
      list.add(SourceModel.of(i, rates[i % rates.length], rtt * MS));
    }
    return list;
  }

  static List<SourceModel> equal(int count, long rate, long minRttMs, long maxRttMs) {
    return sources(count, new long[] {rate}, minRttMs, maxRttMs);
  }

  /** Nanoseconds a perfect planner needs for {@code fileBytes} over {@code sources}. */
  static long idealNanos(long fileBytes, List<SourceModel> sources) {
    long sum = sources.stream().mapToLong(SourceModel::bytesPerSec).sum();
    return (long) (fileBytes * 1e9 / sum);
  }

  static List<SourceModel> replace(List<SourceModel> list, int index, SourceModel source) {
    List<SourceModel> copy = new ArrayList<>(list);
    copy.set(index, source);
    return copy;
  }
}
