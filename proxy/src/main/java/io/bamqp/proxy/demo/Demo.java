package io.bamqp.proxy.demo;

import io.bamqp.peer.ReadBatching;
import io.bamqp.proxy.aggregation.SessionReport;
import io.bamqp.proxy.node.Node;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.Line;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.io.PrintStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code bamqp demo}: four routers on loopback, each with its own emulated Internet line (40, 20,
 * 10 and 10 Mbit/s, 20 ms to the origin), one file downloaded directly on router 1's line and then
 * twice through router 1 with the three neighbors helping: first as new neighbors, whose first 5.3
 * MiB each are spot-checked whole (their probation), then as known ones, checked at 1/32. No
 * Internet, no root: each node binds its outgoing connections to its own 127.0.0.x and the test-bed
 * origin shapes each address.
 */
public final class Demo {
  private static final double[] LINES_MBPS = {40, 20, 10, 10};
  private static final Duration LATENCY = Duration.ofMillis(20);
  private static final long FILE_BYTES = 48 * Content.MIB;

  private Demo() {}

  /** Runs the demo, printing as it goes; true when both downloads matched the origin. */
  public static boolean run(PrintStream out) {
    // Like a node (cli.Main#nodeVertx): Netty's native transport where it loads, else NIO.
    Vertx vertx = ReadBatching.vertx(new VertxOptions().setPreferNativeTransport(true));
    try {
      return demo(vertx, out);
    } catch (Exception e) {
      out.println("demo failed: " + e);
      return false;
    } finally {
      vertx.close();
    }
  }

  private static String address(int router) {
    return "127.0.0." + (11 + router);
  }

  private static boolean demo(Vertx vertx, PrintStream out) throws Exception {
    TestOrigin.Builder shaped = TestOrigin.builder();
    for (int i = 0; i < LINES_MBPS.length; i++) {
      shaped.line(address(i), Line.ofMbps(LINES_MBPS[i]).withLatency(LATENCY));
    }
    TestOrigin origin = await(shaped.build().start(vertx));
    String url = origin.url("/files/" + FILE_BYTES);
    String expected = Content.ofSize(FILE_BYTES).sha256Hex();

    // Each router has its own identity; the helpers trust router 1, router 1 trusts them.
    LoopbackRouter router1 = router(0);
    List<Node> helpers = new ArrayList<>();
    Map<String, Integer> peers = new TreeMap<>();
    Map<String, String> names = new TreeMap<>(Map.of("home", "router 1's line"));
    for (int i = 1; i < LINES_MBPS.length; i++) {
      LoopbackRouter helperRouter = router(i).toBuilder().trusted(List.of(router1.id())).build();
      Node helper = await(Node.start(vertx, helperRouter.config()));
      helpers.add(helper);
      peers.put(helperRouter.id().toString(), helper.peerPort());
      names.put("peer:" + helperRouter.id(), "router " + (i + 1) + " " + helperRouter.id());
    }
    Node home = await(Node.start(vertx, router1.toBuilder().peers(peers).build().config()));
    out.printf(
        Locale.ROOT,
        "origin %s; 4 routers with lines of 40, 20, 10 and 10 Mbit/s (%d ms to the origin)%n",
        url,
        LATENCY.toMillis());

    HttpClient onRouter1Line =
        vertx.createHttpClient(new HttpClientOptions().setLocalAddress(address(0)));
    HttpClient throughRouter1 =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProxyOptions(
                    new ProxyOptions()
                        .setType(ProxyType.HTTP)
                        .setHost("127.0.0.1")
                        .setPort(home.proxyPort())));
    Download direct = download(onRouter1Line, url);
    report(out, "direct on router 1's line", direct, expected);
    Download first = download(throughRouter1, url);
    report(out, "bamqp, new neighbors", first, expected);
    Download aggregated = download(throughRouter1, url);
    report(out, "bamqp, known neighbors", aggregated, expected);

    double sumMbps = 0;
    for (double mbps : LINES_MBPS) {
      sumMbps += mbps;
    }
    out.printf(
        Locale.ROOT,
        "speed-up %.2fx; efficiency %.2f of the lines' sum (%.0f Mbit/s nominal); with new"
            + " neighbors (probation) %.2fx%n",
        direct.seconds() / aggregated.seconds(),
        aggregated.mbps() / sumMbps,
        sumMbps,
        direct.seconds() / first.seconds());
    List<SessionReport> sessions = home.proxy().recentDownloads();
    if (!sessions.isEmpty()) {
      SessionReport session = sessions.get(sessions.size() - 1);
      for (Map.Entry<String, Long> source : new TreeMap<>(session.bytesBySource()).entrySet()) {
        out.printf(
            Locale.ROOT,
            "  %-45s carried %6.1f MiB (%4.1f%%)%n",
            names.getOrDefault(source.getKey(), source.getKey()),
            source.getValue() / (double) Content.MIB,
            100.0 * source.getValue() / session.bytes());
      }
    }
    boolean ok =
        direct.sha256().equals(expected)
            && first.sha256().equals(expected)
            && aggregated.sha256().equals(expected)
            && !sessions.isEmpty();
    out.println(ok ? "demo OK" : "demo FAILED: a checksum did not match or nothing was aggregated");
    await(home.close());
    for (Node helper : helpers) {
      await(helper.close());
    }
    return ok;
  }

  /** Router {@code index}: its own address and line on the loopback test bed. */
  private static LoopbackRouter router(int index) {
    return LoopbackRouter.of(address(index), LINES_MBPS[index]);
  }

  private record Download(long bytes, double seconds, String sha256) {
    double mbps() {
      return bytes * 8 / seconds / 1e6;
    }
  }

  private static Download download(HttpClient client, String url) throws Exception {
    MessageDigest digest = sha256();
    long[] bytes = {0};
    long started = System.nanoTime();
    await(
        client
            .request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url))
            .compose(request -> request.send())
            .compose(
                response -> {
                  if (response.statusCode() != 200) {
                    return Future.failedFuture("status " + response.statusCode());
                  }
                  response.handler(
                      buffer -> {
                        bytes[0] += buffer.length();
                        digest.update(buffer.getBytes());
                      });
                  return response.end();
                }));
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Download(bytes[0], seconds, HexFormat.of().formatHex(digest.digest()));
  }

  private static void report(PrintStream out, String how, Download download, String expected) {
    out.printf(
        Locale.ROOT,
        "%-26s %5.1f MiB in %5.2f s = %5.1f Mbit/s  sha256 %s%n",
        how,
        download.bytes() / (double) Content.MIB,
        download.seconds(),
        download.mbps(),
        download.sha256().equals(expected) ? "matches the origin" : "MISMATCH");
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
