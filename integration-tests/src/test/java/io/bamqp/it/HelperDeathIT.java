package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.it.bench.BenchRig;
import io.bamqp.it.bench.LinkRelay;
import io.bamqp.proxy.aggregation.SessionReport;
import io.bamqp.proxy.demo.LoopbackRouter;
import io.bamqp.proxy.node.Node;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.Line;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A helper dies in the middle of a download (issue 14, T-repair), its LAN link either reset (every
 * connection gets an RST and new ones are refused, as from a killed host) or turned into a black
 * hole (nothing more arrives, nothing is closed): curl through home still gets the exact file, the
 * survivors carry the rest. How fast is {@code bench/repair.sh}'s business; no clock here.
 */
class HelperDeathIT {
  private static final long FILE = 48 * Content.MIB;
  private static final double MBPS = 40;
  private static final int HELPERS = 2;

  private final Vertx vertx = Vertx.vertx();
  private final List<Node> nodes = new ArrayList<>();
  private final List<LinkRelay> relays = new ArrayList<>();
  private TestOrigin origin;
  private Node home;
  @TempDir Path downloads;

  @AfterEach
  void stop() throws Exception {
    for (LinkRelay relay : relays) {
      relay.close();
    }
    for (Node node : nodes) {
      Await.result(node.close());
    }
    Await.result(vertx.close());
  }

  private static String address(int router) {
    return "127.0.0." + (11 + router);
  }

  /** Home and two helpers on 40 Mbit/s lines, each helper's peer port behind a relay. */
  private void start() throws Exception {
    TestOrigin.Builder shaped = TestOrigin.builder();
    for (int i = 0; i <= HELPERS; i++) {
      shaped.line(address(i), Line.ofMbps(MBPS).withLatency(Duration.ofMillis(10)));
    }
    origin = Await.result(shaped.build().start(vertx));
    LoopbackRouter homeRouter = LoopbackRouter.of(address(0), MBPS);
    Map<String, Integer> peers = new TreeMap<>();
    for (int i = 1; i <= HELPERS; i++) {
      LoopbackRouter router =
          LoopbackRouter.of(address(i), MBPS).toBuilder().trusted(List.of(homeRouter.id())).build();
      Node helper = Await.result(Node.start(vertx, router.config()));
      nodes.add(helper);
      LinkRelay relay = LinkRelay.to(helper.peerPort());
      relays.add(relay);
      peers.put(router.id().toString(), relay.port());
    }
    home = Await.result(Node.start(vertx, homeRouter.toBuilder().peers(peers).build().config()));
    nodes.add(home);
    BenchRig.awaitPeersOnline(home.statsPort(), HELPERS);
  }

  /** Downloads the file while {@code death} strikes router 2 once it has fetched 4 MiB. */
  private Path downloadWhile(Runnable death) throws Exception {
    String victim = address(1);
    Thread killer =
        new Thread(
            () -> {
              await("router2 fetched something")
                  .atMost(Await.DEFAULT_DEADLINE)
                  .until(() -> origin.stats(victim).bytesSent() > 4 * Content.MIB);
              death.run();
            });
    killer.start();
    Path file =
        Clients.curl(
            "http://127.0.0.1:" + home.proxyPort(),
            downloads.resolve("file.bin"),
            origin.url("/files/" + FILE));
    killer.join(Await.DEFAULT_DEADLINE.toMillis());
    return file;
  }

  private void assertRepaired(Path file) throws Exception {
    assertThat(Clients.sha256(file)).isEqualTo(Content.ofSize(FILE).sha256Hex());
    assertThat(origin.stats(address(1)).bytesSent()).as("router2's line").isLessThan(FILE / 2);
    await("the download's report")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> !home.proxy().recentDownloads().isEmpty());
    List<SessionReport> sessions = home.proxy().recentDownloads();
    SessionReport download = sessions.get(sessions.size() - 1);
    assertThat(download.bytes()).isEqualTo(FILE);
    assertThat(download.replannedBytes()).as("router2's remainder planned again").isPositive();
  }

  @Test
  void aHelperWhoseLinkIsResetMidwayLeavesTheFileExact() throws Exception {
    start();

    Path file = downloadWhile(() -> relays.get(0).reset());

    assertRepaired(file);
  }

  @Test
  void aHelperThatFallsIntoABlackHoleMidwayLeavesTheFileExact() throws Exception {
    start();

    Path file = downloadWhile(() -> relays.get(0).cut());

    assertRepaired(file);
  }
}
