package io.bamqp.it.bench;

import static org.awaitility.Awaitility.await;

import io.bamqp.it.bench.BenchClients.Download;
import io.bamqp.proxy.demo.LoopbackRouter;
import io.bamqp.proxy.node.Node;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.Line;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Own clients first (issue 4): on router 2, a helper, its own client's curl download through its
 * proxy, alone and then while router 1's client runs an aggregated download that router 2 helps
 * with over the same line. Reports the own client's throughput with the neighbor as a ratio of its
 * solo figure (goal {@value #GOAL}), medians of RUNS. Run by {@code bench/fairness.sh}.
 *
 * <p>Both routers run in this JVM, each line shaped by the test-bed origin (own address, 20 ms).
 * Arguments: {@code RUNS WORK_DIR}. Progress on stderr; raw figures and a Markdown row on stdout.
 */
public final class FairnessBench {
  static final double GOAL = 0.90;
  private static final double LINE_MBPS = 20;
  private static final String HOME = BenchRig.address(0);
  private static final String HELPER = BenchRig.address(1);

  /** The own client's file takes about this long on its line alone. */
  private static final double OWN_SECONDS = 8;

  /** The neighbor's download outlasts the own client's; it is stopped after. */
  private static final long NEIGHBOR_BYTES = Content.GIB;

  /** The own client starts once the helper has carried this much for the neighbor. */
  private static final long NEIGHBOR_STARTED_BYTES = 2 * Content.MIB;

  /** Pause between downloads: longer than the own-traffic meter's idle delay (1.5 s). */
  private static final long SETTLE_MILLIS = 2_500;

  private static final long WAIT_MILLIS = 30_000;
  private static final long POLL_MILLIS = 50;

  /** Held strongly: JUL forgets the level of a collected logger. */
  private static final Logger QUIET = Logger.getLogger("io.bamqp");

  private FairnessBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: FairnessBench RUNS WORK_DIR");
      System.exit(2);
    }
    QUIET.setLevel(Level.WARNING);
    Path work = Files.createDirectories(Path.of(args[1]));
    run(Integer.parseInt(args[0]), work);
    System.exit(0);
  }

  private static void run(int runs, Path work) throws Exception {
    Vertx vertx = Vertx.vertx();
    Line line = Line.ofMbps(LINE_MBPS).withLatency(BenchRig.LATENCY);
    TestOrigin origin =
        Await.result(TestOrigin.builder().line(HOME, line).line(HELPER, line).build().start(vertx));
    int helperPeerPort = freePort();
    LoopbackRouter router1 =
        LoopbackRouter.builder(HOME, LINE_MBPS).stateDir(work.resolve("r1")).build();
    LoopbackRouter router2 =
        LoopbackRouter.builder(HELPER, LINE_MBPS).stateDir(work.resolve("r2")).build();
    Node helper =
        Await.result(
            Node.start(
                vertx,
                router2.toBuilder()
                    .ports(0, helperPeerPort)
                    .trusted(List.of(router1.id()))
                    .build()
                    .config()));
    Node home =
        Await.result(
            Node.start(
                vertx,
                router1.toBuilder()
                    .peers(Map.of(router2.id().toString(), helperPeerPort))
                    .build()
                    .config()));
    BenchClients clients = new BenchClients(work);
    long ownBytes = Math.round(LINE_MBPS * 1e6 / 8 * OWN_SECONDS);
    System.out.printf(
        Locale.ROOT,
        "runs=%d lines %.0f + %.0f Mbit/s, %d ms; own file %.1f MiB; origin %s%n",
        runs,
        LINE_MBPS,
        LINE_MBPS,
        BenchRig.LATENCY.toMillis(),
        (double) ownBytes / Content.MIB,
        origin.url("/"));
    double[] solo = new double[runs];
    double[] shared = new double[runs];
    double[] neighbor = new double[runs];
    try {
      progress("warm-up");
      clients.viaProxy(helper.proxyPort(), url(origin, ownBytes, 0), ownBytes);
      for (int run = 1; run <= runs; run++) {
        Thread.sleep(SETTLE_MILLIS); // part of the measurement: the meter goes idle between runs
        progress("run %d of %d: own client alone", run, runs);
        Download alone =
            intact(clients.viaProxy(helper.proxyPort(), url(origin, ownBytes, run), ownBytes));
        Thread.sleep(SETTLE_MILLIS); // part of the measurement: the meter goes idle between runs
        progress("run %d of %d: own client with the neighbor's download", run, runs);
        Process aggregated = neighborDownload(home.proxyPort(), url(origin, NEIGHBOR_BYTES, run));
        Download with;
        long lineBefore;
        long lineAfter;
        try {
          awaitNeighborOn(origin);
          lineBefore = origin.stats(HELPER).bytesSent();
          with = intact(clients.viaProxy(helper.proxyPort(), url(origin, ownBytes, run), ownBytes));
          lineAfter = origin.stats(HELPER).bytesSent();
        } finally {
          aggregated.destroy();
          aggregated.waitFor(10, TimeUnit.SECONDS);
        }
        solo[run - 1] = Measurement.mbps(alone.bytesPerSecond());
        shared[run - 1] = Measurement.mbps(with.bytesPerSecond());
        neighbor[run - 1] =
            Measurement.mbps((lineAfter - lineBefore - with.bytes()) / with.seconds());
        System.out.printf(
            Locale.ROOT,
            "raw | run %d | alone %.1f Mbit/s (%.2f s) | with neighbor %.1f Mbit/s (%.2f s)"
                + " | ratio %.3f | neighbor on router 2's line meanwhile %.2f Mbit/s%n",
            run,
            solo[run - 1],
            alone.seconds(),
            shared[run - 1],
            with.seconds(),
            shared[run - 1] / solo[run - 1],
            neighbor[run - 1]);
      }
    } finally {
      Await.result(home.close());
      Await.result(helper.close());
      Await.result(origin.close());
      Await.result(vertx.close());
    }
    report(runs, ownBytes, solo, shared, neighbor);
  }

  private static void report(
      int runs, long ownBytes, double[] solo, double[] shared, double[] neighbor) {
    double[] ratios = new double[runs];
    for (int i = 0; i < runs; i++) {
      ratios[i] = shared[i] / solo[i];
    }
    System.out.println();
    System.out.println(
        "| scenario | lines, Mbit/s | own file | own alone | own with neighbor | ratio (min)"
            + " | neighbor on router 2's line meanwhile | goal |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    System.out.printf(
        Locale.ROOT,
        "| own client on router 2 while router 1 aggregates through it | %.0f + %.0f"
            + " | %.1f MiB | %.1f Mbit/s | %.1f Mbit/s | %.3f (%.3f) | %.2f Mbit/s | >= %.2f %s |%n",
        LINE_MBPS,
        LINE_MBPS,
        (double) ownBytes / Content.MIB,
        median(solo),
        median(shared),
        median(ratios),
        Arrays.stream(ratios).min().orElse(Double.NaN),
        median(neighbor),
        GOAL,
        median(ratios) >= GOAL ? "met" : "NOT MET");
  }

  /** curl through the home node, as its own process; the caller stops it. */
  private static Process neighborDownload(int proxyPort, String url) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                "curl",
                "--silent",
                "--proxy",
                "http://127.0.0.1:" + proxyPort,
                "--output",
                "/dev/null",
                url)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    List.of("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY")
        .forEach(builder.environment()::remove);
    return builder.start();
  }

  /** Waits until router 2's line has carried a first piece of the neighbor's download. */
  private static void awaitNeighborOn(TestOrigin origin) {
    long start = origin.stats(HELPER).bytesSent();
    try {
      await()
          .atMost(Duration.ofMillis(WAIT_MILLIS))
          .pollInterval(Duration.ofMillis(POLL_MILLIS))
          .until(() -> origin.stats(HELPER).bytesSent() - start >= NEIGHBOR_STARTED_BYTES);
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("router 2 never helped with the neighbor's download", e);
    }
  }

  private static Download intact(Download download) {
    if (!download.intact()) {
      throw new IllegalStateException("an own client's download failed or was corrupt");
    }
    return download;
  }

  private static String url(TestOrigin origin, long bytes, int run) {
    return origin.url("/files/" + bytes + "?run=" + run);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void progress(String pattern, Object... args) {
    System.err.printf(Locale.ROOT, "bench: " + pattern + "%n", args);
  }
}
