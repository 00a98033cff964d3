package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.proxy.aggregation.SessionReport;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Four routers on loopback with their own lines: real clients download through router 1. */
class AggregationIT {
  private static final long FILE = 32 * Content.MIB;
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

  private String proxy() {
    return "http://127.0.0.1:" + cluster.proxyPort();
  }

  private String fileUrl() {
    return cluster.origin().url("/files/" + FILE);
  }

  private Path curl(String... options) throws Exception {
    return Clients.curl(proxy(), downloads.resolve("curl.bin"), fileUrl(), options);
  }

  @Test
  void curlGetsTheExactBytesAndEveryNeighborCarriesAShare() throws Exception {
    cluster = Cluster.start(vertx, LATENCY, "", 80, 40, 40, 20);

    Path file = curl();

    assertThat(Clients.sha256(file)).isEqualTo(Content.ofSize(FILE).sha256Hex());
    SessionReport download = cluster.lastDownload();
    assertThat(download.bytes()).isEqualTo(FILE);
    assertThat(download.bytesBySource())
        .containsKeys("home", cluster.source(1), cluster.source(2), cluster.source(3));
    download.bytesBySource().values().forEach(bytes -> assertThat(bytes).isPositive());
    for (int helper = 1; helper <= 3; helper++) {
      assertThat(cluster.origin().stats(Cluster.address(helper)).bytesSent())
          .as("bytes fetched on " + Cluster.name(helper) + "'s line")
          .isPositive();
    }
  }

  @Test
  @Tag("timing") // the survivor's share follows the lines' rates on the wall clock
  void aHelperThatDiesMidwayDoesNotLoseTheDownload() throws Exception {
    cluster = Cluster.start(vertx, LATENCY, "", 40, 40, 40);
    String victim = Cluster.address(1);
    Thread killer =
        new Thread(
            () -> {
              try {
                await("router2 fetched something")
                    .atMost(Await.DEFAULT_DEADLINE)
                    .until(() -> cluster.origin().stats(victim).bytesSent() > 2 * Content.MIB);
                Await.result(cluster.node(1).close());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    killer.start();

    Path file = curl();
    killer.join(30_000);

    assertThat(Clients.sha256(file)).isEqualTo(Content.ofSize(FILE).sha256Hex());
    assertThat(cluster.origin().stats(victim).bytesSent()).isLessThan(FILE);
    // The surviving neighbor keeps carrying its share: a death must not drop the others too.
    assertThat(cluster.origin().stats(Cluster.address(2)).bytesSent())
        .as("bytes router3 fetched after router2 died")
        .isGreaterThan(FILE / 4);
  }

  @Test
  void anObjectThatChangesMidDownloadIsNeverDeliveredComplete() throws Exception {
    cluster = Cluster.start(vertx, LATENCY, "", 40, 40, 40);
    cluster.origin().faults().changeVersionAfter(8 * Content.MIB);
    Path file = downloads.resolve("changed.bin");

    Clients.Outcome outcome =
        Clients.run(
            List.of("curl", "--silent", "--proxy", proxy(), "--output", file.toString(), fileUrl()),
            Map.of());

    assertThat(outcome.exitCode()).as("curl must see a failed transfer").isNotZero();
    assertThat(Files.size(file)).isLessThan(FILE);
  }

  @Test
  void aSlowClientKeepsTheHomeBufferWithinTheWindow() throws Exception {
    cluster = Cluster.start(vertx, LATENCY, "bufferBytes: 4MiB", 80, 80, 80);

    Path file = curl("--limit-rate", "4M");

    assertThat(Clients.sha256(file)).isEqualTo(Content.ofSize(FILE).sha256Hex());
    assertThat(cluster.lastDownload().maxBufferedBytes()).isLessThanOrEqualTo(4 * Content.MIB);
  }

  @Test
  void aClientRangeAndCurlsResumeAreHonoured() throws Exception {
    cluster = Cluster.start(vertx, LATENCY, "", 80, 40, 40);
    long first = 5 * Content.MIB + 3;

    Path part = curl("--range", first + "-");
    assertThat(Files.size(part)).isEqualTo(FILE - first);
    assertThat(Clients.sha256(part)).isEqualTo(Content.ofSize(FILE).sha256Hex(first, FILE - first));
    assertThat(cluster.lastDownload().bytesBySource().getOrDefault(cluster.source(1), 0L))
        .as("a neighbor carries part of a client's own range")
        .isPositive();

    Path resumed = downloads.resolve("resumed.bin");
    Files.write(resumed, Content.ofSize(FILE).slice(0, (int) first).getBytes());
    Clients.curl(proxy(), resumed, fileUrl(), "-C", "-");
    assertThat(Clients.sha256(resumed)).isEqualTo(Content.ofSize(FILE).sha256Hex());
  }

  @Test
  void aClientThatHangsUpStopsEveryHelpersOriginFetch() throws Exception {
    cluster = Cluster.start(vertx, LATENCY, "", 20, 20, 20);
    try (java.net.Socket client = new java.net.Socket("127.0.0.1", cluster.proxyPort())) {
      client
          .getOutputStream()
          .write(
              ("GET " + fileUrl() + " HTTP/1.1\r\nHost: x\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      await("both helpers are fetching")
          .atMost(Await.DEFAULT_DEADLINE)
          .until(
              () ->
                  cluster.origin().stats(Cluster.address(1)).bytesSent() > 0
                      && cluster.origin().stats(Cluster.address(2)).bytesSent() > 0);
    }
    await("every origin connection is closed")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(
            () ->
                cluster.origin().stats().values().stream().allMatch(s -> s.openConnections() == 0));
    // No connection is left to carry a byte, and the download was far from done.
    assertThat(cluster.origin().bytesSent()).isLessThan(FILE);
  }

  @Test
  void aria2cWithFourConnectionsGetsTheExactBytes() throws Exception {
    cluster = Cluster.start(vertx, LATENCY, "minBytes: 4MiB", 80, 40, 40);

    Clients.succeed(
        List.of(
            "aria2c",
            "--quiet=true",
            "--max-connection-per-server=4",
            "--split=4",
            "--min-split-size=8M",
            "--all-proxy=" + proxy(),
            "--dir=" + downloads,
            "--out=aria2.bin",
            "--allow-overwrite=true",
            "--file-allocation=none",
            fileUrl()),
        Map.of());

    assertThat(Clients.sha256(downloads.resolve("aria2.bin")))
        .isEqualTo(Content.ofSize(FILE).sha256Hex());
  }
}
