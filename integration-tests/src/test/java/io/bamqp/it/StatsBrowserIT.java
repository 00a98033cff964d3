package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.vertx.core.Vertx;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The statistics page as a real browser renders it: headless Chromium against a live node. */
class StatsBrowserIT {
  private static final long FILE = 16 * Content.MIB;
  private static final Duration LATENCY = Duration.ofMillis(10);
  private static final Path SCREENSHOTS = Path.of("target", "stats-page");

  /**
   * The page without its event stream: headless Chromium's virtual time stands still while a
   * request is open, so a page that follows {@code /api/events} would never be taken.
   */
  private static final String PAGE = "/?follow=0";

  private final Vertx vertx = Vertx.vertx();
  private Cluster cluster;
  @TempDir Path scratch;

  @BeforeEach
  void needsChromium() {
    Chromium.assumeInstalled();
  }

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    Await.result(vertx.close());
  }

  /**
   * Three nodes, one aggregated download and one that stays home (it carries a Cookie), both in the
   * page's history.
   */
  private StatsPage startWithTwoDownloads() throws Exception {
    cluster = Cluster.start(vertx, LATENCY, "", 24, 16, 8);
    String proxy = "http://127.0.0.1:" + cluster.proxyPort();
    Clients.curl(proxy, scratch.resolve("a.bin"), cluster.origin().url("/files/" + FILE));
    Clients.curl(
        proxy,
        scratch.resolve("b.bin"),
        cluster.origin().url("/files/" + 8 * Content.MIB),
        "--header",
        "Cookie: session=1");
    StatsPage page = new StatsPage(cluster.statsPort());
    awaitHistory(page, 2);
    return page;
  }

  @Test
  void thePageShowsEachDownloadWithTheBytesTheApiReports() throws Exception {
    StatsPage page = startWithTwoDownloads();
    JsonNode history = page.json("/api/downloads").get("history");

    String dom = new Chromium(scratch).dumpDom(page.url(PAGE));

    assertThat(dom).contains("data-ready=\"true\"");
    for (JsonNode download : history) {
      String row = row(dom, download.get("id").asText());
      assertThat(row).contains("data-outcome=\"" + download.get("outcome").asText() + "\"");
      assertThat(row).contains("data-size=\"" + download.get("size").asLong() + "\"");
      assertThat(shownBytes(row))
          .as("per-source bytes shown for " + download.get("url").asText())
          .isEqualTo(StatsPage.bytesBySource(download));
    }
    assertThat(row(dom, history.get(0).get("id").asText())).contains("Cookie");
  }

  @Test
  void aRunningDownloadIsShownLiveWithAChartPerSource() throws Exception {
    StatsPage page = startWithTwoDownloads();
    long big = 64 * Content.MIB;
    Thread download =
        new Thread(
            () -> {
              try {
                Clients.curl(
                    "http://127.0.0.1:" + cluster.proxyPort(),
                    scratch.resolve("c.bin"),
                    cluster.origin().url("/files/" + big));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    download.start();
    try {
      await("a third of the running download written")
          .atMost(Await.DEFAULT_DEADLINE)
          .until(
              () -> {
                try {
                  JsonNode live = page.json("/api/downloads").get("live");
                  return live.size() == 1 && live.get(0).get("written").asLong() > big / 3;
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });

      String dom = new Chromium(scratch).dumpDom(page.url(PAGE));
      Files.createDirectories(SCREENSHOTS);
      Path png = SCREENSHOTS.resolve("stats-page.png").toAbsolutePath();
      new Chromium(scratch).screenshot(page.url(PAGE), png, 1280, 1000);

      assertThat(dom)
          .containsPattern(
              "<article class=\"live\" data-download-id=\"[^\"]+\" data-size=\"" + big + "\"");
      assertThat(dom).contains("<polyline").contains("data-source=\"" + cluster.source(1) + "\"");
      assertThat(Files.size(png)).as("screenshot bytes").isGreaterThan(20_000);
    } finally {
      download.join(90_000);
    }
    awaitHistory(page, 3);
  }

  @Test
  void theDownloadBoxTurnsAPastedUrlIntoTheProxysFetchLinkThatDownloadsTheFile() throws Exception {
    cluster = Cluster.start(vertx, LATENCY, "", 24);
    StatsPage page = new StatsPage(cluster.statsPort());
    String file = cluster.origin().url("/files/" + Content.MIB) + "#part";
    String proxy = "http://127.0.0.1:" + cluster.proxyPort();

    String dom = new Chromium(scratch).dumpDom(page.url(PAGE + "&url=" + encode(file)));

    String expected = proxy + "/fetch?url=" + encode(file.substring(0, file.indexOf('#')));
    Matcher link =
        Pattern.compile("<a id=\"fetch-link\"[^>]* href=\"([^\"]+)\">([^<]*)</a>").matcher(dom);
    assertThat(link.find()).as("the box shows a link").isTrue();
    assertThat(link.group(1)).isEqualTo(expected);
    assertThat(link.group(2)).isEqualTo(expected);
    assertThat(dom).contains("data-state=\"ok\"");
    assertThat(dom).containsPattern("<button id=\"fetch-start\" type=\"submit\">");
    Path saved = scratch.resolve("fetched.bin");
    Clients.succeed(
        List.of(
            "curl",
            "--silent",
            "--show-error",
            "--fail",
            "--noproxy",
            "*",
            "--output",
            saved.toString(),
            expected),
        Map.of());
    assertThat(Clients.sha256(saved)).isEqualTo(Content.ofSize(Content.MIB).sha256Hex());
  }

  @Test
  void theDownloadBoxExplainsWhatItCannotFetch() throws Exception {
    cluster = Cluster.start(vertx, LATENCY, "", 24);
    StatsPage page = new StatsPage(cluster.statsPort());

    String ftp = new Chromium(scratch).dumpDom(page.url(PAGE + "&url=" + encode("ftp://a/b.iso")));
    String junk = new Chromium(scratch).dumpDom(page.url(PAGE + "&url=" + encode("big.iso")));

    assertThat(ftp)
        .contains("data-state=\"error\"")
        .contains("only http:// and https:// addresses can be downloaded through bamqp, not ftp://")
        .contains("id=\"fetch-link-line\" hidden=\"\"")
        .containsPattern("<button id=\"fetch-start\" type=\"submit\" disabled=\"\">");
    assertThat(junk).contains("'big.iso' is not a URL");
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void awaitHistory(StatsPage page, int downloads) throws InterruptedException {
    await(downloads + " downloads in the history")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(
            () -> {
              try {
                return page.json("/api/downloads").get("history").size() == downloads;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
  }

  /** The history row of download {@code id}, as dumped. */
  private static String row(String dom, String id) {
    Matcher row =
        Pattern.compile(
                "<tr class=\"download\" data-download-id=\"" + Pattern.quote(id) + "\".*?</tr>",
                Pattern.DOTALL)
            .matcher(dom);
    assertThat(row.find()).as("a history row for download " + id).isTrue();
    return row.group();
  }

  /** The per-source bytes a row shows in its data attributes. */
  private static Map<String, Long> shownBytes(String row) {
    Map<String, Long> bytes = new TreeMap<>();
    Matcher source = Pattern.compile("data-source=\"([^\"]+)\" data-bytes=\"(\\d+)\"").matcher(row);
    while (source.find()) {
      bytes.put(source.group(1), Long.parseLong(source.group(2)));
    }
    return bytes;
  }
}
