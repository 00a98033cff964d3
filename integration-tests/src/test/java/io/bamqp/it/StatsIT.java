package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.bamqp.proxy.aggregation.SessionReport;
import io.bamqp.proxy.demo.LoopbackRouter;
import io.bamqp.proxy.node.Node;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The statistics API and metrics of a home node that downloads through its neighbors. */
class StatsIT {
  private static final long FILE = 16 * Content.MIB;
  private static final Duration LATENCY = Duration.ofMillis(10);

  private final Vertx vertx = Vertx.vertx();
  private Cluster cluster;
  @TempDir Path downloads;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    Await.result(vertx.close());
  }

  private StatsPage page() {
    return new StatsPage(cluster.statsPort());
  }

  private Path curl(String path, String... options) throws Exception {
    return Clients.curl(
        "http://127.0.0.1:" + cluster.proxyPort(),
        downloads.resolve("curl.bin"),
        cluster.origin().url(path),
        options);
  }

  /** Waits until the history holds {@code count} downloads and answers the newest. */
  private JsonNode newestInHistory(int count) throws Exception {
    await(count + " download(s) in the history")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(
            () -> {
              try {
                return page().json("/api/downloads").get("history").size() >= count;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    return page().json("/api/downloads").get("history").get(0);
  }

  @Test
  void anAggregatedDownloadIsReportedWithTheBytesEachSourceCarried() throws Exception {
    cluster = Cluster.start(vertx, LATENCY, "", 40, 40, 20);

    Path file = curl("/files/" + FILE + "?mirror=SECRETIVE");

    assertThat(Clients.sha256(file)).isEqualTo(Content.ofSize(FILE).sha256Hex());
    SessionReport report = cluster.lastDownload();
    JsonNode download = newestInHistory(1);
    assertThat(download.get("outcome").asText()).isEqualTo("COMPLETED");
    assertThat(download.get("size").asLong()).isEqualTo(FILE);
    assertThat(download.get("written").asLong()).isEqualTo(FILE);
    assertThat(download.get("url").asText())
        .endsWith("/files/" + FILE)
        .doesNotContain("SECRETIVE")
        .doesNotContain("?");
    assertThat(StatsPage.bytesBySource(download))
        .isEqualTo(new TreeMap<>(report.bytesBySource()))
        .containsKeys("home", cluster.source(1), cluster.source(2));
    long kept = 0;
    for (JsonNode source : download.get("sources")) {
      kept += source.get("keptBytes").asLong();
      assertThat(source.get("samples").size()).as("chart points").isPositive();
    }
    assertThat(kept).as("bytes the client got, over every source").isEqualTo(FILE);
    assertThat(download.get("speedUp").asDouble()).isPositive();
    assertThat(download.get("efficiency").asDouble()).isPositive();

    String id = download.get("id").asText();
    assertThat(page().json("/api/downloads/" + id).get("id").asText()).isEqualTo(id);
    HttpResponse<String> unknown = page().get("/api/downloads/no-such-id");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("\"error\"").contains("no-such-id");

    JsonNode stats = page().json("/api/stats");
    assertThat(stats.get("activeDownloads").asInt()).isZero();
    assertThat(stats.get("bytesBySource").get("home").asLong())
        .isEqualTo(report.bytesBySource().get("home"));

    Map<String, Double> metrics = page().metrics();
    report
        .bytesBySource()
        .forEach(
            (source, bytes) ->
                assertThat(metrics.get("bamqp_bytes_total{source=" + source + "}"))
                    .as("bamqp_bytes_total of " + source)
                    .isEqualTo(bytes.doubleValue()));
    assertThat(metrics.get("bamqp_downloads_total{outcome=completed}")).isEqualTo(1.0);
    assertThat(metrics.get("bamqp_download_duration_seconds_count")).isEqualTo(1.0);
    assertThat(metrics.get("bamqp_download_duration_seconds_bucket{le=+Inf}")).isEqualTo(1.0);
    assertThat(metrics.get("bamqp_active_downloads")).isZero();
    assertThat(metrics.get("bamqp_buffer_bytes")).isZero();

    // The ledger folds its counts once a second: wait for the fold, not for a fixed time.
    await("the peers' bytes received match what they delivered")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(
            () -> {
              JsonNode peers = page().json("/api/peers").get("peers");
              boolean all = peers.size() == 2;
              for (JsonNode peer : peers) {
                String name = "peer:" + peer.get("id").asText();
                all &= peer.get("bytesReceived").asLong() == report.bytesBySource().get(name);
              }
              return all ? Boolean.TRUE : null;
            },
            Objects::nonNull);
  }

  @Test
  void theHistorySurvivesARestartFromTheSameStateDirectory() throws Exception {
    cluster = Cluster.start(vertx, LATENCY, "", 40, 40);
    curl("/files/" + FILE);
    JsonNode before = newestInHistory(1);

    cluster.restartHome();

    JsonNode after = page().json("/api/downloads").get("history");
    assertThat(after.size()).isEqualTo(1);
    assertThat(after.get(0)).isEqualTo(before);
    assertThat(cluster.homeConfig().state().path().resolve("history.jsonl")).exists();
    // Counters are this process's: a restart starts them again.
    assertThat(page().metrics()).doesNotContainKey("bamqp_bytes_total{source=home}");
  }

  @Test
  void largeDownloadsThatAreNotAggregatedAppearWithTheReason() throws Exception {
    cluster = Cluster.start(vertx, LATENCY, "", 40, 40);

    curl("/files/" + FILE, "--header", "Cookie: session=1");
    JsonNode withCookie = newestInHistory(1);
    curl("/chunked/" + FILE);
    JsonNode chunked = newestInHistory(2);

    assertThat(withCookie.get("outcome").asText()).isEqualTo("NOT_AGGREGATED");
    assertThat(withCookie.get("reason").asText()).contains("Cookie");
    assertThat(StatsPage.bytesBySource(withCookie)).isEqualTo(Map.of("home", FILE));
    assertThat(chunked.get("outcome").asText()).isEqualTo("NOT_AGGREGATED");
    assertThat(chunked.get("reason").asText()).isEqualTo("the response has no Content-Length");
    assertThat(chunked.get("written").asLong()).isEqualTo(FILE);
    Map<String, Double> metrics = page().metrics();
    assertThat(metrics.get("bamqp_downloads_total{outcome=not_aggregated}")).isEqualTo(2.0);
    assertThat(metrics.get("bamqp_bytes_total{source=home}")).isEqualTo(2.0 * FILE);
  }

  @Test
  void pagesFollowLiveDownloadsAsServerSentEvents() throws Exception {
    cluster = Cluster.start(vertx, LATENCY, "", 40, 40);

    java.net.http.HttpResponse<java.util.stream.Stream<String>> events =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(page().url("/api/events")))
                    .build(),
                HttpResponse.BodyHandlers.ofLines());

    assertThat(events.headers().firstValue("content-type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    try (java.util.stream.Stream<String> lines = events.body()) {
      java.util.Iterator<String> it = lines.iterator();
      String line = it.next();
      while (!line.equals("event: update")) {
        line = it.next();
      }
      JsonNode update =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(it.next().substring("data: ".length()));
      assertThat(update.get("live").isArray()).isTrue();
      assertThat(update.get("stats").get("activeDownloads").asInt()).isZero();
    }
  }

  @Test
  void smallResponsesStayOutOfTheHistory() throws Exception {
    cluster = Cluster.start(vertx, LATENCY, "", 40, 40);

    curl("/files/64KiB");

    assertThat(page().json("/api/downloads").get("history").size()).isZero();
  }

  @Test
  void aNodeWhoseStatsPortIsTakenDoesNotStartAndSaysWhy(@TempDir Path state) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String yaml =
          LoopbackRouter.builder(Cluster.address(0), 10)
              .stateDir(state)
              .build()
              .yaml()
              .replace(
                  "listen: 127.0.0.1:0\nstate",
                  "listen: 127.0.0.1:" + taken.getLocalPort() + "\nstate");
      assertThat(yaml).contains("127.0.0.1:" + taken.getLocalPort());

      assertThatThrownBy(
              () -> Await.result(Node.start(vertx, io.bamqp.proxy.config.ConfigLoader.parse(yaml))))
          .hasMessageContaining("stats.listen 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void everyErrorIsJsonWithAPreciseMessage() throws Exception {
    cluster = Cluster.start(vertx, LATENCY, "", 40, 40);

    HttpResponse<String> missing = page().get("/nothing/here");
    HttpResponse<String> wrongMethod = page().send("DELETE", "/api/downloads", null);
    HttpResponse<String> noToken = page().send("POST", "/api/sharing", "{\"enabled\": true}");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("{\"error\":\"no such page: /nothing/here\"}");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.headers().firstValue("allow")).hasValue("GET");
    assertThat(wrongMethod.body()).contains("method DELETE is not allowed on /api/downloads");
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.body()).contains("set stats.token");
  }
}
