package io.bamqp.it.bench;

import io.bamqp.testbed.Content;

/**
 * One download of one scenario in one run, with the single-line goodputs measured in that run.
 *
 * @param scenario what was measured
 * @param run 1-based run number
 * @param download the client's download
 * @param lineGoodputs each line's single-line goodput in this run, bytes per second, router 1 first
 * @param idealSeconds the fastest the lines could have delivered the file given the mid-way event
 *     (bytes before it at the full sum, the rest at the sum less what was lost); NaN if none
 * @param cpuSeconds the home JVM's CPU time during the download; NaN when home was not involved
 * @param bytesByLine bytes the origin sent on each line during the download, router 1 first
 */
record Measurement(
    Scenario scenario,
    int run,
    BenchClients.Download download,
    double[] lineGoodputs,
    double idealSeconds,
    double cpuSeconds,
    long[] bytesByLine) {

  /** Delivered bytes per second of wall time, in Mbit/s. */
  double goodputMbps() {
    return mbps(download.bytesPerSecond());
  }

  /** The capacity compared with: all lines' goodputs, or router 1's alone for a direct client. */
  double linesSumMbps() {
    if (scenario.direct()) {
      return mbps(lineGoodputs[BenchRig.HOME]);
    }
    double sum = 0;
    for (double goodput : lineGoodputs) {
      sum += goodput;
    }
    return mbps(sum);
  }

  double efficiency() {
    return goodputMbps() / linesSumMbps();
  }

  /** Efficiency against the capacity the lines still had after the event. */
  double efficiencyOfCapacityLeft() {
    return idealSeconds / download.seconds();
  }

  /** Goodput over router 1's single-line goodput: what going direct on router 1's line gives. */
  double speedUp() {
    return download.bytesPerSecond() / lineGoodputs[BenchRig.HOME];
  }

  double cpuSecondsPerGib() {
    return cpuSeconds / ((double) download.bytes() / Content.GIB);
  }

  static double mbps(double bytesPerSecond) {
    return bytesPerSecond * 8 / 1e6;
  }
}
