package io.bamqp.it.bench;

import io.bamqp.proxy.aggregation.SessionReport;
import io.bamqp.proxy.demo.LoopbackRouter;
import io.bamqp.proxy.node.Node;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.Line;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What spot checks cost (issue 14, finding 2b): the demo's routers (lines of 40, 20, 10 and 10
 * Mbit/s, 20 ms to the origin, a 48 MiB file) at each {@code aggregation.spotCheckRatio} given. For
 * each ratio, fresh routers (no history): one direct download on router 1's line, then {@code
 * DOWNLOADS} aggregated ones in a row (the first meets new neighbors, the later ones know them).
 * Per download: time, speed-up over the direct one, efficiency against the lines' nominal sum, and
 * each line's bytes as the origin counted them beside what the home's report says the line carried
 * for the client: the difference on a neighbor's line is its checking traffic, on the home line its
 * check re-fetches (and bytes the home line fetched and dropped). Run by {@code
 * bench/spot-checks.sh}.
 *
 * <p>Arguments: {@code RUNS DOWNLOADS RATIO...}.
 */
public final class SpotCheckBench {
  private static final double[] LINES_MBPS = {40, 20, 10, 10};
  private static final long FILE_BYTES = 48 * Content.MIB;
  private static final Duration LATENCY = Duration.ofMillis(20);

  /** Held strongly: JUL forgets the level of a collected logger. */
  private static final Logger QUIET = Logger.getLogger("io.bamqp");

  private final PrintStream out = System.out;

  private SpotCheckBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: SpotCheckBench RUNS DOWNLOADS RATIO...");
      System.exit(2);
    }
    QUIET.setLevel(Level.WARNING);
    int runs = Integer.parseInt(args[0]);
    int downloads = Integer.parseInt(args[1]);
    SpotCheckBench bench = new SpotCheckBench();
    for (int i = 2; i < args.length; i++) {
      for (int run = 1; run <= runs; run++) {
        bench.once(args[i], run, downloads);
      }
    }
    System.exit(0);
  }

  private static String address(int router) {
    return "127.0.0." + (11 + router);
  }

  private void once(String ratio, int run, int downloads) throws Exception {
    Vertx vertx = Vertx.vertx();
    List<Node> nodes = new ArrayList<>();
    try {
      TestOrigin.Builder shaped = TestOrigin.builder();
      for (int i = 0; i < LINES_MBPS.length; i++) {
        shaped.line(address(i), Line.ofMbps(LINES_MBPS[i]).withLatency(LATENCY));
      }
      TestOrigin origin = Await.result(shaped.build().start(vertx));
      String url = origin.url("/files/" + FILE_BYTES);
      LoopbackRouter homeRouter = LoopbackRouter.of(address(0), LINES_MBPS[0]);
      Map<String, Integer> peers = new TreeMap<>();
      Map<String, Integer> lineOf = new TreeMap<>(Map.of("home", 0));
      for (int i = 1; i < LINES_MBPS.length; i++) {
        LoopbackRouter router =
            LoopbackRouter.of(address(i), LINES_MBPS[i]).toBuilder()
                .trusted(List.of(homeRouter.id()))
                .build();
        Node helper = Await.result(Node.start(vertx, router.config()));
        nodes.add(helper);
        peers.put(router.id().toString(), helper.peerPort());
        lineOf.put("peer:" + router.id(), i);
      }
      Node home =
          Await.result(
              Node.start(
                  vertx,
                  homeRouter.toBuilder()
                      .peers(peers)
                      .aggregation("spotCheckRatio: " + ratio)
                      .build()
                      .config()));
      nodes.add(home);
      BenchRig.awaitPeersOnline(home.statsPort(), LINES_MBPS.length - 1);
      HttpClient direct =
          vertx.createHttpClient(new HttpClientOptions().setLocalAddress(address(0)));
      HttpClient proxied =
          vertx.createHttpClient(
              new HttpClientOptions()
                  .setProxyOptions(
                      new ProxyOptions()
                          .setType(ProxyType.HTTP)
                          .setHost("127.0.0.1")
                          .setPort(home.proxyPort())));
      double directSeconds = download(direct, url);
      double sum = 0;
      for (double mbps : LINES_MBPS) {
        sum += mbps;
      }
      for (int d = 1; d <= downloads; d++) {
        long[] before = lineBytes(origin);
        double seconds = download(proxied, url);
        long[] after = lineBytes(origin);
        List<SessionReport> sessions = home.proxy().recentDownloads();
        SessionReport report = sessions.get(sessions.size() - 1);
        long[] carried = new long[LINES_MBPS.length];
        report.bytesBySource().forEach((name, bytes) -> carried[lineOf.get(name)] += bytes);
        StringBuilder lines = new StringBuilder();
        long extra = 0;
        for (int i = 0; i < LINES_MBPS.length; i++) {
          long onLine = after[i] - before[i];
          extra += Math.max(0, onLine - carried[i]);
          lines.append(
              String.format(
                  Locale.ROOT,
                  " %.1f/%.1f",
                  onLine / (double) Content.MIB,
                  (onLine - carried[i]) / (double) Content.MIB));
        }
        out.printf(
            Locale.ROOT,
            "ratio %s run %d download %d: %.2f s, speed-up %.2fx, efficiency %.3f; extra bytes %.1f"
                + " MiB (%.1f%%); MiB on line/of it not carried for the client, routers 1-4:%s%n",
            ratio,
            run,
            d,
            seconds,
            directSeconds / seconds,
            FILE_BYTES * 8 / seconds / 1e6 / sum,
            extra / (double) Content.MIB,
            100.0 * extra / FILE_BYTES,
            lines);
      }
    } finally {
      for (Node node : nodes) {
        Await.result(node.close());
      }
      Await.result(vertx.close());
    }
  }

  private static long[] lineBytes(TestOrigin origin) {
    long[] bytes = new long[LINES_MBPS.length];
    for (int i = 0; i < LINES_MBPS.length; i++) {
      bytes[i] = origin.stats(address(i)).bytesSent();
    }
    return bytes;
  }

  /** Downloads {@code url} with {@code client}, checking its length; answers the seconds taken. */
  private static double download(HttpClient client, String url) {
    long[] bytes = {0};
    long started = System.nanoTime();
    Await.result(
        client
            .request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url))
            .compose(request -> request.send())
            .compose(
                response -> {
                  if (response.statusCode() != 200) {
                    return Future.failedFuture("status " + response.statusCode());
                  }
                  response.handler(buffer -> bytes[0] += buffer.length());
                  return response.end();
                }),
        Duration.ofSeconds(120));
    if (bytes[0] != FILE_BYTES) {
      throw new IllegalStateException("got " + bytes[0] + " of " + FILE_BYTES + " bytes");
    }
    return (System.nanoTime() - started) / 1e9;
  }
}
