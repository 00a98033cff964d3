package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.proxy.aggregation.SessionReport;
import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.proxy.config.ConfigWatcher;
import io.bamqp.proxy.demo.LoopbackRouter;
import io.bamqp.proxy.node.Node;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.Line;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running home takes on an edited config file: trusting a neighbor makes the next download use
 * it, and taking the trust away in the middle of a download does not drop that download.
 */
class ReloadIT {
  private static final long FILE = 24 * Content.MIB;
  private static final String HOME = "127.0.0.11";
  private static final String HELPER = "127.0.0.12";

  private final Vertx vertx = Vertx.vertx();
  private TestOrigin origin;
  private Node helper;
  private Node home;
  private ConfigWatcher watcher;
  @TempDir Path dir;

  @AfterEach
  void stop() throws Exception {
    if (watcher != null) {
      watcher.close();
    }
    if (home != null) {
      Await.result(home.close());
    }
    if (helper != null) {
      Await.result(helper.close());
    }
    Await.result(vertx.close());
  }

  /** Downloads through the home and checks every byte. */
  private void fetch(String name) throws Exception {
    Path file =
        Clients.curl(
            "http://127.0.0.1:" + home.proxyPort(),
            dir.resolve(name),
            origin.url("/files/" + FILE));
    assertThat(Clients.sha256(file)).isEqualTo(Content.ofSize(FILE).sha256Hex());
  }

  /** A download the home aggregated, as it reported it. */
  private SessionReport download(String name) throws Exception {
    int before = home.proxy().recentDownloads().size();
    fetch(name);
    return Clients.reportAfter(home, before);
  }

  /** Writes {@code yaml} and waits until the watcher has handed that version to the node. */
  private void edit(Path file, String yaml, CompletableFuture<BamqpConfig>[] applied)
      throws Exception {
    applied[0] = new CompletableFuture<>();
    Files.writeString(file, yaml);
    BamqpConfig expected = ConfigLoader.parse(yaml);
    while (!applied[0].get(10, TimeUnit.SECONDS).equals(expected)) {
      applied[0] = new CompletableFuture<>();
    }
  }

  @Test
  void trustAddedToTheFileIsUsedByTheNextDownloadAndRemovingItKeepsTheOneInFlight()
      throws Exception {
    origin =
        Await.result(
            TestOrigin.builder()
                .line(HOME, Line.ofMbps(40))
                .line(HELPER, Line.ofMbps(40))
                .build()
                .start(vertx));
    LoopbackRouter homeRouter = LoopbackRouter.of(HOME, 40);
    LoopbackRouter helperRouter =
        LoopbackRouter.builder(HELPER, 40).trusted(List.of(homeRouter.id())).build();
    helper = Await.result(Node.start(vertx, helperRouter.config()));
    String trusting =
        homeRouter.toBuilder()
            .peers(Map.of(helperRouter.id().toString(), helper.peerPort()))
            .build()
            .yaml();
    // The same static peer, not (or no longer) in peer.trusted.
    String untrusting = trusting.replace("trusted: [" + helperRouter.id() + "]", "trusted: []");
    assertThat(untrusting).isNotEqualTo(trusting);
    Path file = dir.resolve("bamqp.yaml");
    Files.writeString(file, untrusting);
    BamqpConfig first = ConfigLoader.load(file);
    home = Await.result(Node.start(vertx, first));
    @SuppressWarnings("unchecked")
    CompletableFuture<BamqpConfig>[] applied = new CompletableFuture[] {new CompletableFuture<>()};
    watcher =
        ConfigWatcher.start(
            file,
            first,
            next -> {
              home.reconfigure(next);
              applied[0].complete(next);
            });

    fetch("untrusted.bin");
    assertThat(origin.stats(HELPER).bytesSent()).as("an untrusted helper gets no work").isZero();

    edit(file, trusting, applied);
    SessionReport trusted = download("trusted.bin");
    assertThat(trusted.bytesBySource()).containsKey("peer:" + helperRouter.id());

    // Untrust the helper while a download it serves is running: that download keeps it.
    long helperBytes = origin.stats(HELPER).bytesSent();
    Thread untrust =
        new Thread(
            () -> {
              try {
                await("the helper is fetching")
                    .atMost(Await.DEFAULT_DEADLINE)
                    .until(() -> origin.stats(HELPER).bytesSent() > helperBytes + 2 * Content.MIB);
                edit(file, untrusting, applied);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    untrust.start();
    SessionReport inFlight = download("in-flight.bin");
    untrust.join(30_000);
    assertThat(inFlight.bytesBySource().get("peer:" + helperRouter.id())).isPositive();

    long helperAfter = origin.stats(HELPER).bytesSent();
    fetch("after.bin");
    assertThat(origin.stats(HELPER).bytesSent()).isEqualTo(helperAfter);
  }
}
