package io.bamqp.it.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.proxy.demo.LoopbackRouter;
import io.bamqp.proxy.node.Node;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Line;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Four routers on one machine for one set of line rates. Router {@code i} (0-based) binds its
 * outgoing connections to {@code 127.0.0.(11+i)}, and the shared test-bed origin gives that address
 * its line. Router 1 (index 0) is home and runs as a separate JVM; routers 2 to 4 are helpers in
 * this JVM, each on a fixed peer port so that one can be closed and started again.
 */
public final class BenchRig implements AutoCloseable {
  static final int ROUTERS = 4;
  static final int HOME = 0;
  static final Duration LATENCY = Duration.ofMillis(20);
  private static final long AWAIT_SECONDS = 30;
  private static final int HELPER_JOBS = 4;

  private final Vertx vertx;
  private final TestOrigin origin;
  private final double[] mbps;
  private final int[] peerPorts = new int[ROUTERS];

  /** One per router, kept for the run: its state directory holds its identity across restarts. */
  private final LoopbackRouter[] routers = new LoopbackRouter[ROUTERS];

  private final Node[] helpers = new Node[ROUTERS];
  private final int proxyPort;

  /** The home's statistics page, where the bench reads whether its helpers are online. */
  private final int statsPort;

  private NodeProcess home;

  private BenchRig(Vertx vertx, TestOrigin origin, double[] mbps) throws IOException {
    this.vertx = vertx;
    this.origin = origin;
    this.mbps = mbps.clone();
    for (int i = 0; i < ROUTERS; i++) {
      peerPorts[i] = freePort();
      routers[i] = LoopbackRouter.of(address(i), mbps[i]);
    }
    this.proxyPort = freePort();
    this.statsPort = freePort();
  }

  static String address(int router) {
    return "127.0.0." + (11 + router);
  }

  static String name(int router) {
    return "router" + (router + 1);
  }

  /** How the home's reports name a helper router: {@code peer:ID}. */
  String source(int router) {
    return "peer:" + routers[router].id();
  }

  /** Gives each address its line, starts the helpers, then the home node's JVM. */
  static BenchRig start(Vertx vertx, TestOrigin origin, double[] mbps, Path jar, Path dir)
      throws Exception {
    BenchRig rig = new BenchRig(vertx, origin, mbps);
    for (int i = 0; i < ROUTERS; i++) {
      rig.restoreLine(i);
    }
    for (int i = 1; i < ROUTERS; i++) {
      rig.startHelper(i);
    }
    rig.home = NodeProcess.start(jar, dir, "home", rig.homeConfig(), List.of(), rig.proxyPort);
    rig.awaitHelpersOnline();
    return rig;
  }

  int proxyPort() {
    return proxyPort;
  }

  NodeProcess home() {
    return home;
  }

  double[] lines() {
    return mbps.clone();
  }

  double lineMbps(int router) {
    return mbps[router];
  }

  /** Bytes the origin has sent on this router's line so far. */
  long bytesSent(int router) {
    return origin.stats(address(router)).bytesSent();
  }

  /** Bytes the origin has sent on the four lines so far. */
  long totalBytesSent() {
    long total = 0;
    for (int i = 0; i < ROUTERS; i++) {
      total += bytesSent(i);
    }
    return total;
  }

  void setLine(int router, double lineMbps) {
    origin.setLine(address(router), Line.ofMbps(lineMbps).withLatency(LATENCY));
  }

  void restoreLine(int router) {
    setLine(router, mbps[router]);
  }

  /** Closes a helper's node: its proxy and its peer server, with the connections on them. */
  void stopHelper(int router) throws Exception {
    Await.result(helpers[router].close());
    helpers[router] = null;
  }

  /** Starts a helper on its peer port, unless it is running. */
  void startHelper(int router) throws Exception {
    if (helpers[router] == null) {
      helpers[router] = Await.result(Node.start(vertx, ConfigLoader.parse(helperConfig(router))));
    }
  }

  private String helperConfig(int router) {
    return routers[router].toBuilder()
        .ports(0, peerPorts[router])
        .trusted(List.of(routers[HOME].id()))
        .maxJobs(HELPER_JOBS)
        .build()
        .yaml();
  }

  private String homeConfig() {
    Map<String, Integer> peers = new TreeMap<>();
    for (int i = 1; i < ROUTERS; i++) {
      peers.put(routers[i].id().toString(), peerPorts[i]);
    }
    String yaml =
        routers[HOME].toBuilder()
            .ports(proxyPort, peerPorts[HOME])
            .peers(peers)
            .logLevel("info")
            .build()
            .yaml();
    return yaml.replace("listen: 127.0.0.1:0", "listen: 127.0.0.1:" + statsPort);
  }

  /**
   * Waits until the home sees every helper online: a helper started again is usable once the home's
   * next liveness check (every 2 s) reaches it, and a run must not start before that.
   */
  void awaitHelpersOnline() {
    awaitPeersOnline(statsPort, ROUTERS - 1);
  }

  /**
   * Waits until the node whose statistics page is on {@code statsPort} sees {@code count} online.
   */
  public static void awaitPeersOnline(int statsPort, int count) {
    URI peers = URI.create("http://127.0.0.1:" + statsPort + "/api/peers");
    String[] body = {"(no answer yet)"};
    try {
      // The home is another process: poll its page.
      await()
          .atMost(Duration.ofSeconds(AWAIT_SECONDS))
          .until(() -> onlinePeers(body[0] = peersPage(peers)) == count);
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("helpers not online at the home: " + body[0], e);
    }
  }

  private static String peersPage(URI peers) throws Exception {
    try {
      return HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(peers).build(), HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException notListeningYet) {
      return "{\"peers\": []}"; // the page starts after the proxy: ask again
    }
  }

  private static long onlinePeers(String body) throws Exception {
    long online = 0;
    for (JsonNode peer : new ObjectMapper().readTree(body).get("peers")) {
      online += peer.get("state").asText().equals("online") ? 1 : 0;
    }
    return online;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    if (home != null) {
      home.close();
    }
    for (int i = 1; i < ROUTERS; i++) {
      if (helpers[i] != null) {
        stopHelper(i);
      }
    }
  }
}
