package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.proxy.aggregation.SessionReport;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /fetch} follows redirects itself: the final file reaches the client named after the final
 * URL and aggregated, even when the last hop is a signed URL, and a hop the destination policy
 * refuses is answered with the reason.
 */
@Timeout(120)
class FetchRedirectIT {
  private static final long FILE = 24 * Content.MIB;
  private static final String FINAL = "/files/24MiB?X-Amz-Signature=0123abcd&X-Amz-Credential=k1";

  private final Vertx vertx = Vertx.vertx();
  private Cluster cluster;
  private TestOrigin origin;
  private ProxyNode proxy;
  @TempDir Path downloads;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (origin != null) {
      Await.result(origin.close());
    }
    Await.result(vertx.close());
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /** An origin path that redirects with 302, then 307, to {@code target}. */
  private static String twoRedirectsTo(String target) {
    return "/redirect/302?to=" + encode("/redirect/307?to=" + encode(target));
  }

  /** Runs curl -OJ on {@code url} in a folder of its own; answers the response head curl saw. */
  private String curlRemoteName(Path folder, String url, String... options) throws Exception {
    Files.createDirectories(folder);
    Path head = downloads.resolve(folder.getFileName() + ".head");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "curl",
                "--silent",
                "--show-error",
                "--fail",
                "--remote-name",
                "--remote-header-name",
                "--output-dir",
                folder.toString(),
                "--dump-header",
                head.toString()));
    command.addAll(List.of(options));
    command.add(url);
    Clients.succeed(command, Map.of());
    return Files.readString(head);
  }

  @Test
  void aFetchThatRedirectsTwiceToASignedUrlIsAggregatedAndNamedAfterTheFinalUrl() throws Exception {
    cluster = Cluster.start(vertx, Duration.ofMillis(10), "", 40, 40, 40);
    String userUrl = cluster.origin().url(twoRedirectsTo(FINAL));
    int before = cluster.node(0).proxy().recentDownloads().size();
    Path folder = downloads.resolve("aggregated");

    // The URL goes after url= as a user types it: unencoded, with its own query.
    String head =
        curlRemoteName(folder, "http://127.0.0.1:" + cluster.proxyPort() + "/fetch?url=" + userUrl);

    Path saved = folder.resolve("24MiB");
    assertThat(saved).exists();
    assertThat(Clients.sha256(saved)).isEqualTo(Content.ofSize(FILE).sha256Hex());
    assertThat(head)
        .containsIgnoringCase("Content-Disposition: attachment; filename=\"24MiB\"")
        .containsIgnoringCase("X-Content-Type-Options: nosniff")
        .containsIgnoringCase("Content-Security-Policy: sandbox");
    SessionReport report = Clients.reportAfter(cluster.node(0), before);
    assertThat(report.bytes()).isEqualTo(FILE);
    long neighborBytes =
        report.bytesBySource().getOrDefault(cluster.source(1), 0L)
            + report.bytesBySource().getOrDefault(cluster.source(2), 0L);
    assertThat(neighborBytes)
        .as("the neighbors carried a share of the signed URL the router was redirected to")
        .isPositive();
    assertThat(
            cluster.origin().stats(Cluster.address(1)).bytesSent()
                + cluster.origin().stats(Cluster.address(2)).bytesSent())
        .isPositive();
  }

  @Test
  void theSameRedirectReachedWithACookieStaysOnTheHomeLine() throws Exception {
    cluster = Cluster.start(vertx, Duration.ofMillis(10), "", 40, 40);
    String userUrl = cluster.origin().url(twoRedirectsTo(FINAL));
    int before = cluster.node(0).proxy().recentDownloads().size();
    Path folder = downloads.resolve("cookie");

    curlRemoteName(
        folder,
        "http://127.0.0.1:" + cluster.proxyPort() + "/fetch?url=" + encode(userUrl),
        "--header",
        "Cookie: session=1");

    assertThat(Clients.sha256(folder.resolve("24MiB"))).isEqualTo(Content.ofSize(FILE).sha256Hex());
    assertThat(cluster.node(0).proxy().recentDownloads()).hasSize(before);
    assertThat(cluster.origin().stats(Cluster.address(1)).bytesSent())
        .as("bytes fetched on the neighbor's line")
        .isZero();
  }

  private RawHttp.Reply fetch(String url) throws Exception {
    if (proxy == null) {
      origin = Await.result(TestOrigin.builder().build().start(vertx));
      proxy = ProxyNode.start(vertx, "");
    }
    return RawHttp.exchange(
        proxy.port(),
        "GET /fetch?url="
            + origin.url(url)
            + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + proxy.port()
            + "\r\n\r\n");
  }

  @Test
  void aRedirectToAPrivateOrLoopbackAddressNotOpenedIsRefusedWithACodeNotItsAddress()
      throws Exception {
    RawHttp.Reply lan = fetch(twoRedirectsTo("http://10.0.0.1/admin"));
    RawHttp.Reply loopback = fetch("/redirect/301?to=" + encode("http://[::1]:8080/"));

    assertThat(lan.status()).isEqualTo(403);
    assertThat(lan.body())
        .isEqualTo(
            "SPECIAL_ADDRESS: a redirect leads to a private or special address (open it with"
                + " security.allowDestinations)\n");
    assertThat(lan.text())
        .contains("X-Bamqp-Error: SPECIAL_ADDRESS")
        .doesNotContain("10.0.0.1")
        .containsIgnoringCase("x-content-type-options: nosniff")
        .containsIgnoringCase("content-security-policy: sandbox");
    assertThat(loopback.status()).isEqualTo(403);
    assertThat(loopback.body()).startsWith("OWN_ADDRESS:");
    assertThat(loopback.text()).doesNotContain("::1").doesNotContain("8080");
  }

  @Test
  void theEleventhRedirectIs502() throws Exception {
    try (ScriptedOrigin loop =
        ScriptedOrigin.answeringThenClosing(
            "HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")) {
      proxy = ProxyNode.start(vertx, "");
      RawHttp.Reply reply =
          RawHttp.exchange(
              proxy.port(),
              "GET /fetch?url=http://127.0.0.1:"
                  + loop.port()
                  + "/start HTTP/1.1\r\nHost: 127.0.0.1:"
                  + proxy.port()
                  + "\r\n\r\n");

      assertThat(reply.status()).isEqualTo(502);
      assertThat(reply.body()).startsWith("too many redirects (more than 10)");
      List<String> paths =
          Stream.generate(() -> next(loop)).limit(11).map(r -> r.split(" ")[1]).toList();
      assertThat(paths.get(0)).isEqualTo("/start");
      assertThat(paths.subList(1, 11)).containsOnly("/again");
    }
  }

  private static String next(ScriptedOrigin origin) {
    try {
      return origin.nextRequest();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aPlainProxiedRequestGetsTheRedirectItself() throws Exception {
    origin = Await.result(TestOrigin.builder().build().start(vertx));
    proxy = ProxyNode.start(vertx, "");

    RawHttp.Reply reply =
        RawHttp.exchange(
            proxy.port(),
            "GET "
                + origin.url("/redirect/302?to=%2Ffiles%2F1KiB")
                + " HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(reply.status()).isEqualTo(302);
    assertThat(reply.text())
        .containsIgnoringCase("Location: /files/1KiB")
        .doesNotContainIgnoringCase("sandbox");
  }
}
