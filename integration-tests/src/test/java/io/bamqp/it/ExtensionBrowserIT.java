package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.Line;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser extension in headless Chromium: a user clicks a link to a large https:// file, and
 * the extension hands the download to the home router's {@code /fetch}, which aggregates it with
 * its neighbors; a download from a site that has a cookie stays in the browser.
 */
class ExtensionBrowserIT {
  private static final Path EXTENSION = Path.of("..", "browser-extension");
  private static final Duration LATENCY = Duration.ofMillis(10);
  private static final long BIG = 40 * Content.MIB;
  private static final long WITH_COOKIE = 9 * Content.MIB;

  /**
   * The browser's own line: slow enough that the browser has not finished a download by the time
   * the extension has cancelled it, as on a real home line.
   */
  private static final double BROWSER_LINE_MBPS = 16;

  /**
   * Home's stall timeout: a neighbor's first bytes come after its mutual-TLS request, its TLS
   * handshake with the origin and the origin's latency, which on a loaded two-core test machine
   * takes more than the default second.
   */
  private static final String HOME_AGGREGATION = "stallTimeout: 5s";

  /** How long a download may take: 40 MiB need 7 s on the three lines, more on a loaded machine. */
  private static final Duration DOWNLOAD_DEADLINE = Duration.ofSeconds(90);

  private final Vertx vertx = Vertx.vertx();

  /** The HTTPS origin's own event loops, as the Internet would not share the routers' CPU time. */
  private final Vertx internet = Vertx.vertx();

  private final SelfSignedCertificate certificate = SelfSignedCertificate.create(TlsFront.HOST);
  private Cluster cluster;
  private TestOrigin origin;
  private TlsFront front;
  private HttpServer page;
  private ExtensionBrowser browser;
  private String options;
  @TempDir Path scratch;

  @BeforeEach
  void needsChromium() {
    Chromium.assumeInstalled();
  }

  @AfterEach
  void stop() throws Exception {
    try (AutoCloseable nodes = cluster;
        AutoCloseable alone = origin == null ? null : () -> Await.result(origin.close());
        AutoCloseable tls = front;
        AutoCloseable chromium = browser) {
      if (page != null) {
        Await.result(page.close());
      }
    } finally {
      Await.result(internet.close());
      Await.result(vertx.close());
    }
  }

  @Test
  @Timeout(180)
  void aLargeHttpsDownloadIsHandedToTheRouterAndOneFromASiteWithACookieStaysInTheBrowser()
      throws Exception {
    // Every node trusts the HTTPS origin's self-signed certificate, as an owner would a private CA.
    Path originCa = Path.of(certificate.certificatePath());
    cluster =
        Cluster.start(
            vertx,
            TestOrigin.builder(),
            router -> router.originCaFiles(List.of(originCa)),
            LATENCY,
            HOME_AGGREGATION,
            16,
            16,
            16);
    cluster.origin().setLine("127.0.0.1", Line.ofMbps(BROWSER_LINE_MBPS).withLatency(LATENCY));
    front = TlsFront.start(internet, certificate, cluster.origin().port());
    String big = front.url(TlsFront.HOST, "/files/" + BIG);
    String withCookie = front.url("127.0.0.1", "/files/" + WITH_COOKIE);
    page =
        servePage(
            "<a id=big href='"
                + big
                + "'>a large file</a> <a id=cookie href='"
                + withCookie
                + "'>a file from a site with a cookie</a>");
    browser = ExtensionBrowser.start(EXTENSION, scratch, "--ignore-certificate-errors");
    configureExtension("127.0.0.1:" + cluster.proxyPort());
    awaitNeighborsOnline();
    String tab = browser.open("http://127.0.0.1:" + page.actualPort() + "/");
    browser.awaitPage(tab, "document.getElementById('cookie') !== null");

    browser.devTools().evaluate(tab, "document.getElementById('big').click()");

    Path saved = awaitDownload(BIG);
    assertThat(sha256(saved)).isEqualTo(cluster.origin().content("/files/" + BIG).sha256Hex());
    JsonNode download = awaitHistory("/files/" + BIG);
    assertThat(download.get("outcome").asText()).as(download.toString()).isEqualTo("COMPLETED");
    assertThat(download.get("url").asText()).startsWith(TlsFront.HOST + ":" + front.port());
    assertThat(neighborBytes(download)).as("bytes neighbors carried: " + download).isPositive();
    assertThat(badge()).isEqualTo("↗");
    assertThat(badgeTitle()).contains("handed to the router 127.0.0.1:");
    assertThat(cluster.origin().stats("127.0.0.1").bytesSent())
        .as("bytes of the browser's own download before the extension cancelled it")
        .isLessThan(BIG / 2);

    long routerRequests = routerRequests();
    browser
        .devTools()
        .call(
            tab,
            "Network.setCookie",
            Map.of("name", "session", "value", "1", "url", withCookie, "secure", true));
    browser.devTools().evaluate(tab, "document.getElementById('cookie').click()");

    Path kept = awaitDownload(WITH_COOKIE);
    assertThat(sha256(kept))
        .isEqualTo(cluster.origin().content("/files/" + WITH_COOKIE).sha256Hex());
    assertThat(badge()).isEqualTo("–");
    assertThat(badgeTitle()).contains("cookie").contains("stays in the browser");
    assertThat(routerRequests())
        .as("requests the routers sent the origin")
        .isEqualTo(routerRequests);
    assertThat(history()).noneMatch(d -> d.get("url").asText().endsWith("/files/" + WITH_COOKIE));
  }

  @Test
  @Timeout(120)
  void aDownloadTheRouterCannotServeIsStartedAgainInTheBrowser() throws Exception {
    origin =
        Await.result(
            TestOrigin.builder()
                .line("127.0.0.1", Line.ofMbps(BROWSER_LINE_MBPS).withLatency(LATENCY))
                .build()
                .start(vertx));
    front = TlsFront.start(internet, certificate, origin.port());
    String file = front.url(TlsFront.HOST, "/files/" + WITH_COOKIE);
    page = servePage("<a id=file href='" + file + "'>a file</a>");
    browser = ExtensionBrowser.start(EXTENSION, scratch, "--ignore-certificate-errors");
    configureExtension("127.0.0.1:" + closedPort());
    String tab = browser.open("http://127.0.0.1:" + page.actualPort() + "/");
    browser.awaitPage(tab, "document.getElementById('file') !== null");

    browser.devTools().evaluate(tab, "document.getElementById('file').click()");

    Path saved = awaitDownload(WITH_COOKIE);
    assertThat(sha256(saved)).isEqualTo(origin.content("/files/" + WITH_COOKIE).sha256Hex());
    assertThat(badge()).isEqualTo("!");
    assertThat(badgeTitle()).contains("the router could not fetch localhost");
    assertThat(origin.stats("127.0.0.1").requests())
        .as("the browser's own request, then the one started again")
        .isEqualTo(2);
  }

  /** A loopback port nothing listens on: a router that is down. */
  private static int closedPort() throws Exception {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Sets the extension's router address through its options page, as a user would; the page stays
   * open as {@link #options}.
   */
  private void configureExtension(String router) throws Exception {
    options = browser.open("chrome-extension://" + browser.extensionId() + "/options.html");
    browser.awaitPage(options, "document.body.dataset.ready === 'true'");
    browser
        .devTools()
        .evaluate(
            options,
            "document.getElementById('router').value = '"
                + router
                + "'; document.getElementById('save').click()");
    browser.awaitPage(options, "document.getElementById('status').textContent === 'Saved'");
  }

  private HttpServer servePage(String body) throws Exception {
    String html = "<!doctype html><html><body>" + body + "</body></html>";
    return Await.result(
        vertx
            .createHttpServer()
            .requestHandler(
                request -> request.response().putHeader("content-type", "text/html").end(html))
            .listen(0, "127.0.0.1"));
  }

  /** The finished file of {@code size} bytes in the browser's download folder. */
  private Path awaitDownload(long size) throws Exception {
    try {
      return await("a finished download of " + size + " bytes in " + browser.downloads())
          .atMost(DOWNLOAD_DEADLINE)
          .until(
              () -> {
                try (Stream<Path> files = Files.list(browser.downloads())) {
                  return files
                      .filter(f -> !f.getFileName().toString().endsWith(".crdownload"))
                      .filter(f -> f.toFile().length() == size)
                      .findFirst()
                      .orElse(null);
                }
              },
              Objects::nonNull);
    } catch (AssertionError | ConditionTimeoutException late) {
      throw new AssertionError(late.getMessage() + "; " + whatHappened(), late);
    }
  }

  /** The state of everything a download passes through, for a failure message. */
  private String whatHappened() {
    StringBuilder state = new StringBuilder();
    try (Stream<Path> files = Files.list(browser.downloads())) {
      files.forEach(
          f ->
              state.append(f.getFileName()).append(' ').append(f.toFile().length()).append(" B; "));
      state.append("badge title: ").append(badgeTitle()).append("; ");
      state
          .append("the browser's downloads: ")
          .append(
              browser
                  .devTools()
                  .evaluate(
                      options,
                      "chrome.downloads.search({}).then(items => items.map(i => ({url: i.url,"
                          + " state: i.state, error: i.error, bytes: i.bytesReceived,"
                          + " total: i.totalBytes, file: i.filename})))"))
          .append("; ");
      if (cluster != null) {
        state
            .append("home node: ")
            .append(new StatsPage(cluster.statsPort()).json("/api/downloads"));
      }
    } catch (Exception | AssertionError e) {
      state.append("(").append(e).append(")");
    }
    return state.toString();
  }

  /** Waits until the home node counts both neighbors online, so a download may use them. */
  private void awaitNeighborsOnline() throws Exception {
    StatsPage home = new StatsPage(cluster.statsPort());
    await("both neighbors online at the home node")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(
            () -> {
              JsonNode peers = home.json("/api/peers").get("peers");
              long online =
                  IntStream.range(0, peers.size())
                      .filter(i -> peers.get(i).get("state").asText().startsWith("online"))
                      .count();
              return online == 2 ? peers : null;
            },
            Objects::nonNull);
  }

  private JsonNode awaitHistory(String path) throws Exception {
    return await("the home node's history lists " + path)
        .atMost(Await.DEFAULT_DEADLINE)
        .until(
            () ->
                history()
                    .filter(d -> d.get("url").asText().endsWith(path))
                    .findFirst()
                    .orElse(null),
            Objects::nonNull);
  }

  private Stream<JsonNode> history() throws Exception {
    JsonNode history = new StatsPage(cluster.statsPort()).json("/api/downloads").get("history");
    return IntStream.range(0, history.size()).mapToObj(history::get);
  }

  private static long neighborBytes(JsonNode download) {
    long bytes = 0;
    for (JsonNode source : download.get("sources")) {
      if (source.get("name").asText().startsWith("peer:")) {
        bytes += source.get("bytes").asLong();
      }
    }
    return bytes;
  }

  /** Requests the origin received from any router's address (home and neighbors alike). */
  private long routerRequests() {
    long requests = 0;
    for (int node = 0; node < 3; node++) {
      requests += cluster.origin().stats(Cluster.address(node)).requests();
    }
    return requests;
  }

  private String badge() throws Exception {
    return browser.devTools().evaluate(options, "chrome.action.getBadgeText({})").asText();
  }

  private String badgeTitle() throws Exception {
    return browser.devTools().evaluate(options, "chrome.action.getTitle({})").asText();
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest digest = Content.newSha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
