package io.bamqp.proxy.cli;

import io.bamqp.proxy.ProxyServer;
import io.bamqp.proxy.config.ConfigLoader;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code bamqp demo}: one node on loopback in front of a local origin whose line is shaped like a
 * home line, and the same file downloaded directly and through the node. No Internet, no root.
 */
final class Demo {
  /** The emulated home line, the design card's default {@code wan.lineRateMbps}. */
  private static final double LINE_MBPS = 50;

  private static final long FILE_BYTES = 24 * Content.MIB;

  private Demo() {}

  static int run(List<String> args, PrintStream out) {
    if (!args.isEmpty()) {
      throw new Main.UsageException("demo takes no options");
    }
    Vertx vertx = Vertx.vertx();
    try {
      return demo(vertx, out);
    } catch (Exception e) {
      out.println("demo failed: " + e);
      return Main.FAILED;
    } finally {
      vertx.close();
    }
  }

  private static int demo(Vertx vertx, PrintStream out) throws Exception {
    TestOrigin origin =
        await(TestOrigin.builder().defaultLine(Line.ofMbps(LINE_MBPS)).build().start(vertx));
    ProxyServer proxy =
        await(ProxyServer.start(vertx, ConfigLoader.parse("proxy:\n  listen: 127.0.0.1:0\n")));
    String url = origin.url("/files/" + FILE_BYTES);
    String expected = Content.ofSize(FILE_BYTES).sha256Hex();
    out.printf(
        Locale.ROOT,
        "origin %s on a %.0f Mbit/s line; bamqp proxy on 127.0.0.1:%d%n",
        url,
        LINE_MBPS,
        proxy.port());

    HttpClient direct = vertx.createHttpClient(new HttpClientOptions());
    HttpClient proxied =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProxyOptions(
                    new ProxyOptions()
                        .setType(ProxyType.HTTP)
                        .setHost("127.0.0.1")
                        .setPort(proxy.port())));
    download(direct, origin.url("/files/1MiB")); // warm up the JIT before anything is timed
    Download plain = download(direct, url);
    Download viaProxy = download(proxied, url);

    report(out, "direct", plain, expected);
    report(out, "through bamqp", viaProxy, expected);
    out.printf(
        Locale.ROOT,
        "time through bamqp / direct = %.2f (one node, one line: nothing to aggregate yet)%n",
        viaProxy.seconds() / plain.seconds());
    boolean ok = plain.sha256().equals(expected) && viaProxy.sha256().equals(expected);
    out.println(ok ? "demo OK" : "demo FAILED: a checksum did not match");
    return ok ? Main.OK : Main.FAILED;
  }

  private record Download(long bytes, double seconds, String sha256) {}

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
        "%-14s %6.1f MiB in %5.2f s = %6.1f Mbit/s  sha256 %s%n",
        how,
        download.bytes() / (double) Content.MIB,
        download.seconds(),
        download.bytes() * 8 / download.seconds() / 1e6,
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
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
