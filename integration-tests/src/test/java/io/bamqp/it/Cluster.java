package io.bamqp.it;

import static org.awaitility.Awaitility.await;

import io.bamqp.proxy.aggregation.SessionReport;
import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.demo.LoopbackRouter;
import io.bamqp.proxy.node.Node;
import io.bamqp.security.PeerId;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Line;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Routers on one machine: node {@code i} binds its outgoing connections to {@code 127.0.0.(11+i)}
 * and the test-bed origin gives that address its own line. Node 0 is home and trusts the others,
 * which share. Everything listens on ephemeral loopback ports.
 */
final class Cluster implements AutoCloseable {
  private final Vertx vertx;
  private final TestOrigin origin;
  private final List<Node> nodes = new ArrayList<>();
  private LoopbackRouter home;
  private final List<PeerId> ids = new ArrayList<>();

  private Cluster(Vertx vertx, TestOrigin origin) {
    this.vertx = vertx;
    this.origin = origin;
  }

  static String address(int node) {
    return "127.0.0." + (11 + node);
  }

  static String name(int node) {
    return "router" + (node + 1);
  }

  /** Node {@code i}'s peer ID. */
  PeerId id(int node) {
    return ids.get(node);
  }

  /** How the home's reports name node {@code i} as a source: {@code home} or {@code peer:ID}. */
  String source(int node) {
    return node == 0 ? "home" : "peer:" + ids.get(node);
  }

  /**
   * Starts the origin and one node per line rate (Mbit/s); {@code homeKeys} are extra YAML lines
   * for node 0's {@code aggregation} section.
   */
  static Cluster start(Vertx vertx, Duration latency, String homeAggregation, double... mbps)
      throws Exception {
    return start(
        vertx, TestOrigin.builder(), UnaryOperator.identity(), latency, homeAggregation, mbps);
  }

  /**
   * The same, with an origin built from {@code builder} (the lines are added here) and {@code
   * eachRouter} applied to every node's settings (e.g. origin CA files).
   */
  static Cluster start(
      Vertx vertx,
      TestOrigin.Builder builder,
      UnaryOperator<LoopbackRouter.Builder> eachRouter,
      Duration latency,
      String homeAggregation,
      double... mbps)
      throws Exception {
    for (int i = 0; i < mbps.length; i++) {
      builder.line(address(i), Line.ofMbps(mbps[i]).withLatency(latency));
    }
    Cluster cluster = new Cluster(vertx, Await.result(builder.build().start(vertx)));
    Map<String, Integer> peers = new TreeMap<>();
    List<Node> helpers = new ArrayList<>();
    LoopbackRouter home = router(0, mbps[0], eachRouter);
    cluster.ids.add(home.id());
    for (int i = 1; i < mbps.length; i++) {
      LoopbackRouter helperRouter =
          router(i, mbps[i], eachRouter).toBuilder().trusted(List.of(home.id())).build();
      Node helper = Await.result(Node.start(vertx, helperRouter.config()));
      helpers.add(helper);
      peers.put(helperRouter.id().toString(), helper.peerPort());
      cluster.ids.add(helperRouter.id());
    }
    cluster.home = home.toBuilder().peers(peers).aggregation(homeAggregation).build();
    cluster.nodes.add(Await.result(Node.start(vertx, cluster.home.config())));
    cluster.nodes.addAll(helpers);
    cluster.awaitNeighborsOnline();
    return cluster;
  }

  /**
   * Waits until the home counts every helper online: a download started before that would run on
   * the home line alone (under load the first liveness round can take seconds).
   */
  void awaitNeighborsOnline() {
    int helpers = nodes.size() - 1;
    await("the home counts its " + helpers + " neighbor(s) online")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(
            () ->
                nodes.get(0).neighborFeed().peers().stream()
                        .filter(peer -> peer.state().startsWith("online"))
                        .count()
                    == helpers);
  }

  private static LoopbackRouter router(
      int i, double mbps, UnaryOperator<LoopbackRouter.Builder> eachRouter) {
    return eachRouter.apply(LoopbackRouter.builder(address(i), mbps).maxJobs(4)).build();
  }

  TestOrigin origin() {
    return origin;
  }

  Node node(int i) {
    return nodes.get(i);
  }

  /** The home node's proxy port. */
  int proxyPort() {
    return nodes.get(0).proxyPort();
  }

  /** The home node's statistics page port. */
  int statsPort() {
    return nodes.get(0).statsPort();
  }

  /** The home node's config. */
  BamqpConfig homeConfig() {
    return home.config();
  }

  /** Stops the home node and starts it again from the same config (and state directory). */
  void restartHome() throws Exception {
    Await.result(nodes.get(0).close());
    nodes.set(0, Await.result(Node.start(vertx, home.config())));
  }

  /** The home node's last finished aggregated download. */
  SessionReport lastDownload() {
    List<SessionReport> downloads = nodes.get(0).proxy().recentDownloads();
    if (downloads.isEmpty()) {
      throw new AssertionError("the home node finished no aggregated download");
    }
    return downloads.get(downloads.size() - 1);
  }

  @Override
  public void close() throws Exception {
    for (Node node : nodes) {
      try {
        Await.result(node.close());
      } catch (AssertionError alreadyClosed) {
        // a test may have stopped a node on purpose (Await reports the failed close so)
      }
    }
    Await.result(origin.close());
  }
}
