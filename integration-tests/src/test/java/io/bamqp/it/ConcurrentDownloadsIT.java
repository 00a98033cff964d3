package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.bamqp.proxy.aggregation.SessionReport;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several downloads at once through one home whose helpers serve two jobs each: the node's
 * scheduler spreads the neighbors' slots over every download (none is left on the home line alone
 * because it offered last) and each neighbor works for more than one of them.
 */
class ConcurrentDownloadsIT {
  private static final long FILE = 24 * Content.MIB;
  private static final int DOWNLOADS = 4;

  private final Vertx vertx = Vertx.vertx();
  // Threads of its own: the common pool may have a single thread on a small machine.
  private final ExecutorService clients = Executors.newFixedThreadPool(DOWNLOADS);
  private Cluster cluster;
  @TempDir Path downloads;

  @AfterEach
  void stop() throws Exception {
    clients.shutdownNow();
    if (cluster != null) {
      cluster.close();
    }
    Await.result(vertx.close());
  }

  @Test
  void fourCurlsAtOnceGetExactBytesAndShareEveryNeighbor() throws Exception {
    cluster =
        Cluster.start(
            vertx,
            TestOrigin.builder(),
            router -> router.maxJobs(2),
            Duration.ofMillis(10),
            "",
            40,
            20,
            20);
    await("the home sees both helpers online")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> online(1) && online(2));
    String proxy = "http://127.0.0.1:" + cluster.proxyPort();
    List<CompletableFuture<Path>> running = new ArrayList<>();
    for (int i = 0; i < DOWNLOADS; i++) {
      // Distinct URLs of the same size and content: four downloads, not one cached.
      String url = cluster.origin().url("/files/" + FILE + "?copy=" + i);
      Path output = downloads.resolve("copy-" + i + ".bin");
      running.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return Clients.curl(proxy, output, url);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              clients));
    }
    StatsPage page = new StatsPage(cluster.statsPort());
    await("the page shows both helpers' two slots in use")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(
            () -> {
              JsonNode stats = page.json("/api/stats");
              return stats.get("neighborSlots").asInt() == 4
                  && stats.get("neighborSlotsInUse").asInt() == 4;
            });
    String expected = Content.ofSize(FILE).sha256Hex();
    for (CompletableFuture<Path> download : running) {
      Path file = download.get(Await.DEFAULT_DEADLINE.toSeconds(), TimeUnit.SECONDS);
      assertThat(Clients.sha256(file)).as(file.toString()).isEqualTo(expected);
    }
    List<SessionReport> reports =
        await("the home reported every download")
            .atMost(Await.DEFAULT_DEADLINE)
            .until(() -> cluster.node(0).proxy().recentDownloads(), r -> r.size() >= DOWNLOADS);

    await("the page shows the slots given back and nobody waiting")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(
            () -> {
              JsonNode stats = page.json("/api/stats");
              return stats.get("neighborSlotsInUse").asInt() == 0
                  && stats.get("downloadsWaitingForSlot").asInt() == 0;
            });
    for (SessionReport report : reports) {
      assertThat(report.bytes()).isEqualTo(FILE);
      assertThat(
              report.bytesBySource().keySet().stream().filter(s -> s.startsWith("peer:")).count())
          .as("a neighbor carried part of every download: " + report.bytesBySource())
          .isPositive();
    }
    for (int helper = 1; helper <= 2; helper++) {
      String source = cluster.source(helper);
      long served =
          reports.stream().filter(r -> r.bytesBySource().getOrDefault(source, 0L) > 0).count();
      assertThat(served)
          .as(Cluster.name(helper) + " carried bytes for several downloads")
          .isGreaterThan(1);
    }
  }

  private boolean online(int node) {
    return cluster.node(0).neighborFeed().peers().stream()
        .anyMatch(
            peer -> peer.id().equals(cluster.id(node).toString()) && peer.state().equals("online"));
  }
}
