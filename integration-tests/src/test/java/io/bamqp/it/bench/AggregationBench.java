package io.bamqp.it.bench;

import io.bamqp.it.bench.BenchClients.Download;
import io.bamqp.it.bench.Scenario.Client;
import io.bamqp.it.bench.Scenario.Event;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Aggregation efficiency across neighbors (issue 3): for each scenario, delivered bytes per second
 * of wall time over the sum of the lines' single-line goodputs, each line measured alone in the
 * same run; plus the home node's CPU seconds per GiB. Run by {@code bench/aggregation.sh}.
 *
 * <p>Arguments: {@code RUNS JAR WORK_DIR}. Progress goes to stderr; the raw figures and the
 * Markdown table to stdout.
 */
public final class AggregationBench {
  private static final double[] EQUAL_LINES = {20, 20, 20, 20};
  private static final double[] RATIO_LINES = {40, 20, 10, 5};
  private static final double[] FAST_LINES = {80, 80, 80, 80};
  private static final long FILE_BYTES = 64 * Content.MIB;
  private static final long LARGE_FILE_BYTES = Content.GIB;

  /** Each line's single-line goodput is measured on a file it takes this long to carry. */
  private static final double BASELINE_SECONDS = 5;

  /** Warm-up downloads through the home node, each about this long at the lines' nominal sum. */
  private static final double WARMUP_SECONDS = 3;

  private static final int WARMUP_DOWNLOADS = 3;

  /** The home node's CPU use while nothing is downloaded is measured over this long. */
  private static final long IDLE_MILLIS = 5_000;

  private static final long SETTLE_MILLIS = 500;
  private static final int VICTIM = 1;

  /** Scenarios sharing one set of line rates, so one rig and one set of baselines. */
  private record LineSet(double[] mbps, List<Scenario> scenarios) {}

  private static final List<LineSet> LINE_SETS =
      List.of(
          new LineSet(
              EQUAL_LINES,
              List.of(
                  Scenario.steady("4 equal lines", FILE_BYTES),
                  new Scenario(
                      "router 2 dies at 50%",
                      FILE_BYTES, Client.AGGREGATED, Event.HELPER_DIES, Scenario.DEATH_GOAL),
                  new Scenario(
                      "router 2's line halves at 50%",
                      FILE_BYTES, Client.AGGREGATED, Event.HELPER_HALVES, Double.NaN),
                  new Scenario(
                      "direct, curl on router 1's line",
                      FILE_BYTES,
                      Client.DIRECT_CURL,
                      Event.NONE,
                      Double.NaN),
                  new Scenario(
                      "direct, aria2c -x4 -s4 on router 1's line",
                      FILE_BYTES,
                      Client.DIRECT_ARIA2C,
                      Event.NONE,
                      Double.NaN))),
          new LineSet(RATIO_LINES, List.of(Scenario.steady("8:4:2:1", FILE_BYTES))),
          new LineSet(FAST_LINES, List.of(Scenario.steady("1 GiB file", LARGE_FILE_BYTES))));

  /** Held strongly: JUL forgets the level of a collected logger. */
  private static final Logger QUIET = Logger.getLogger("io.bamqp");

  private final int runs;
  private final Path jar;
  private final Path work;
  private final BenchClients clients;
  private final BenchReport report = new BenchReport();
  private final PrintStream out = System.out;

  private AggregationBench(int runs, Path jar, Path work) {
    this.runs = runs;
    this.jar = jar;
    this.work = work;
    this.clients = new BenchClients(work);
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: AggregationBench RUNS JAR WORK_DIR");
      System.exit(2);
    }
    QUIET.setLevel(Level.WARNING);
    Path work = Files.createDirectories(Path.of(args[2]));
    new AggregationBench(Integer.parseInt(args[0]), Path.of(args[1]), work).run();
    System.exit(0);
  }

  private void run() throws Exception {
    Vertx vertx = Vertx.vertx();
    TestOrigin origin = Await.result(TestOrigin.builder().build().start(vertx));
    out.printf(
        Locale.ROOT,
        "runs=%d latency=%d ms per line; origin %s%n",
        runs,
        BenchRig.LATENCY.toMillis(),
        origin.url("/"));
    try {
      for (LineSet lines : LINE_SETS) {
        measure(vertx, origin, lines);
      }
    } finally {
      Await.result(origin.close());
      Await.result(vertx.close());
    }
    report.print(out, runs);
  }

  private void measure(Vertx vertx, TestOrigin origin, LineSet lines) throws Exception {
    try (BenchRig rig = BenchRig.start(vertx, origin, lines.mbps(), jar, work)) {
      warmUp(rig, origin, lines.mbps());
      idleCpu(rig);
      for (int run = 1; run <= runs; run++) {
        double[] goodputs = baselines(rig, origin, run);
        for (Scenario scenario : lines.scenarios()) {
          progress("%s, run %d of %d", scenario.name(), run, runs);
          Measurement m = measure(rig, origin, scenario, run, goodputs);
          out.println(BenchReport.raw(m));
          report.add(m, lines.mbps());
          Thread.sleep(SETTLE_MILLIS); // part of the measurement: each run starts from quiet lines
        }
      }
    }
  }

  /** Aggregated downloads nobody records, so that the home JVM's JIT is warm. */
  private void warmUp(BenchRig rig, TestOrigin origin, double[] mbps) throws Exception {
    double sumMbps = 0;
    for (double rate : mbps) {
      sumMbps += rate;
    }
    long bytes = bytesFor(sumMbps, WARMUP_SECONDS);
    for (int i = 1; i <= WARMUP_DOWNLOADS; i++) {
      progress("warm-up %d: %.0f MiB through the home node", i, (double) bytes / Content.MIB);
      Download warm = clients.viaProxy(rig.proxyPort(), url(origin, bytes, 0), bytes);
      if (!warm.intact()) {
        throw new IllegalStateException("a warm-up download failed; see " + work);
      }
    }
  }

  /** What the home JVM burns with nothing to do: the floor under its CPU per GiB. */
  private void idleCpu(BenchRig rig) throws Exception {
    double before = rig.home().cpuSeconds();
    Thread.sleep(IDLE_MILLIS); // the measurement itself: CPU burnt over this idle window
    double seconds = rig.home().cpuSeconds() - before;
    out.printf(
        Locale.ROOT,
        "idle | lines %s | home CPU %.2f s over %.0f s idle%n",
        Arrays.toString(rig.lines()),
        seconds,
        IDLE_MILLIS / 1e3);
  }

  /** Each line's goodput alone: curl bound to its address, one line after the other. */
  private double[] baselines(BenchRig rig, TestOrigin origin, int run) throws Exception {
    double[] goodputs = new double[BenchRig.ROUTERS];
    for (int i = 0; i < BenchRig.ROUTERS; i++) {
      long bytes = bytesFor(rig.lineMbps(i), BASELINE_SECONDS);
      progress("single-line goodput of router %d's line, run %d", i + 1, run);
      Download alone = clients.onLine(BenchRig.address(i), url(origin, bytes, run), bytes);
      if (!alone.intact()) {
        throw new IllegalStateException(
            "the direct download on " + BenchRig.address(i) + " failed");
      }
      goodputs[i] = alone.bytesPerSecond();
    }
    return goodputs;
  }

  private Measurement measure(
      BenchRig rig, TestOrigin origin, Scenario scenario, int run, double[] goodputs)
      throws Exception {
    long size = scenario.fileBytes();
    String url = url(origin, size, run);
    String home = BenchRig.address(BenchRig.HOME);
    long[] before = sentByLine(rig);
    double cpuBefore = rig.home().cpuSeconds();
    Download download;
    long bytesAtEvent = -1;
    switch (scenario.client()) {
      case DIRECT_CURL -> download = clients.onLine(home, url, size);
      case DIRECT_ARIA2C -> download = clients.aria2cOnLine(home, url, size);
      default -> {
        try (Midway midway = Midway.arm(rig, size, midwayAction(rig, scenario.event()))) {
          download = clients.viaProxy(rig.proxyPort(), url, size);
          bytesAtEvent = midway.bytesAtEvent();
        }
      }
    }
    double cpu = scenario.direct() ? Double.NaN : rig.home().cpuSeconds() - cpuBefore;
    long[] after = sentByLine(rig);
    for (int i = 0; i < after.length; i++) {
      after[i] -= before[i];
    }
    rig.startHelper(VICTIM);
    rig.restoreLine(VICTIM);
    rig.awaitHelpersOnline();
    double ideal = idealSeconds(scenario, goodputs, bytesAtEvent);
    return new Measurement(scenario, run, download, goodputs, ideal, cpu, after);
  }

  private static Midway.Action midwayAction(BenchRig rig, Event event) {
    return switch (event) {
      case NONE -> () -> {};
      case HELPER_DIES -> () -> rig.stopHelper(VICTIM);
      case HELPER_HALVES -> () -> rig.setLine(VICTIM, rig.lineMbps(VICTIM) / 2);
    };
  }

  /**
   * The fastest the lines could have carried the file: bytes sent before the event at the sum of
   * the single-line goodputs, the rest at that sum less what router 2's line lost. NaN without an
   * event, or if the event never happened.
   */
  private static double idealSeconds(Scenario scenario, double[] goodputs, long bytesAtEvent) {
    if (scenario.event() == Event.NONE || bytesAtEvent < 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (double goodput : goodputs) {
      sum += goodput;
    }
    double lost = scenario.event() == Event.HELPER_DIES ? goodputs[VICTIM] : goodputs[VICTIM] / 2;
    return bytesAtEvent / sum + (scenario.fileBytes() - bytesAtEvent) / (sum - lost);
  }

  private static long[] sentByLine(BenchRig rig) {
    long[] sent = new long[BenchRig.ROUTERS];
    for (int i = 0; i < sent.length; i++) {
      sent[i] = rig.bytesSent(i);
    }
    return sent;
  }

  /** The origin's file of {@code bytes}; the query only tells the runs apart in logs. */
  private static String url(TestOrigin origin, long bytes, int run) {
    return origin.url("/files/" + bytes + "?run=" + run);
  }

  private static long bytesFor(double mbps, double seconds) {
    return Math.round(mbps * 1e6 / 8 * seconds);
  }

  private static void progress(String pattern, Object... args) {
    System.err.printf(Locale.ROOT, "bench: " + pattern + "%n", args);
  }
}
