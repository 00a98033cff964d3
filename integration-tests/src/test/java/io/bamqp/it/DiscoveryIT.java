package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.proxy.aggregation.SessionReport;
import io.bamqp.proxy.demo.LoopbackRouter;
import io.bamqp.proxy.node.Node;
import io.bamqp.proxy.stats.PeerView;
import io.bamqp.security.PeerId;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.Line;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routers that find each other over mDNS on loopback, with no static peers: trusted neighbors are
 * used for real downloads, an untrusted one is listed but never used, and one that leaves is marked
 * offline and gets no more work.
 */
@Timeout(180)
class DiscoveryIT {
  private static final long FILE = 16 * Content.MIB;

  private final Vertx vertx = Vertx.vertx();
  private final List<Node> nodes = new ArrayList<>();
  private TestOrigin origin;
  @TempDir Path downloads;

  @AfterEach
  void stop() throws Exception {
    for (Node node : nodes) {
      Await.result(node.close());
    }
    Await.result(vertx.close());
  }

  private Node start(LoopbackRouter router) throws Exception {
    Node node = Await.result(Node.start(vertx, router.config()));
    nodes.add(node);
    return node;
  }

  private static Optional<PeerView> peer(Node home, PeerId id) {
    return home.neighborFeed().peers().stream()
        .filter(peer -> peer.id().equals(id.toString()))
        .findFirst();
  }

  private static boolean inState(Node home, PeerId id, String state) {
    return peer(home, id).map(peer -> peer.state().equals(state)).orElse(false);
  }

  private SessionReport download(Node home) throws Exception {
    int before = home.proxy().recentDownloads().size();
    Path file =
        Clients.curl(
            "http://127.0.0.1:" + home.proxyPort(),
            downloads.resolve("f" + before + ".bin"),
            origin.url("/files/" + FILE));
    assertThat(Clients.sha256(file)).isEqualTo(Content.ofSize(FILE).sha256Hex());
    return Clients.reportAfter(home, before);
  }

  @Test
  void discoveredTrustedNeighborsCarryDownloadsAndOneThatLeavesGetsNoMoreWork() throws Exception {
    TestOrigin.Builder lines = TestOrigin.builder();
    for (int i = 1; i <= 4; i++) {
      lines.line("127.0.0." + (10 + i), Line.ofMbps(40));
    }
    origin = Await.result(lines.build().start(vertx));
    LoopbackRouter home = LoopbackRouter.builder("127.0.0.11", 40).mdns().build();
    LoopbackRouter two = LoopbackRouter.builder("127.0.0.12", 40).mdns().build();
    LoopbackRouter three = LoopbackRouter.builder("127.0.0.13", 40).mdns().build();
    LoopbackRouter stranger = LoopbackRouter.builder("127.0.0.14", 40).mdns().build();
    // Trust by ID only: no static peer anywhere. The stranger trusts the home; not vice versa.
    Node homeNode = start(home.toBuilder().trusted(List.of(two.id(), three.id())).build());
    start(two.toBuilder().trusted(List.of(home.id())).build());
    Node threeNode = start(three.toBuilder().trusted(List.of(home.id())).build());
    start(stranger.toBuilder().trusted(List.of(home.id())).build());

    await("routers 2 and 3 are online at the home, the stranger only discovered")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(
            () ->
                inState(homeNode, two.id(), "online")
                    && inState(homeNode, three.id(), "online")
                    && inState(homeNode, stranger.id(), "discovered"));
    assertThat(peer(homeNode, stranger.id()).orElseThrow().note()).contains("peer.trusted");

    SessionReport first = download(homeNode);
    assertThat(first.bytesBySource())
        .containsKeys("home", "peer:" + two.id(), "peer:" + three.id())
        .doesNotContainKey("peer:" + stranger.id());
    assertThat(origin.stats("127.0.0.14").bytesSent()).as("the stranger fetched nothing").isZero();

    Await.result(threeNode.close());
    nodes.remove(threeNode);
    await("router 3 is offline at the home")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> inState(homeNode, three.id(), "offline"));
    long threeBefore = origin.stats("127.0.0.13").bytesSent();

    SessionReport second = download(homeNode);
    assertThat(second.bytesBySource()).doesNotContainKey("peer:" + three.id());
    assertThat(second.bytesBySource()).containsKey("peer:" + two.id());
    assertThat(origin.stats("127.0.0.13").bytesSent()).isEqualTo(threeBefore);
    assertThat(Map.copyOf(second.bytesBySource())).isNotEmpty();
  }
}
