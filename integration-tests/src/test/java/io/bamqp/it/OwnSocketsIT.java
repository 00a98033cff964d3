package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bamqp.peer.HelperLink;
import io.bamqp.peer.HelperLinkOptions;
import io.bamqp.peer.JobOffer;
import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.peer.RangeFetch;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.proxy.demo.LoopbackRouter;
import io.bamqp.proxy.node.Node;
import io.bamqp.security.Identity;
import io.bamqp.security.InterfaceAddresses;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing reaches this node's own listening sockets through the node, and its other addresses are
 * as closed as its loopback: a trusted neighbor asking the helper, a LAN client asking the proxy.
 * Refusals carry a code and a fixed text, never an address or an origin's {@code Location}.
 */
class OwnSocketsIT {
  private static final String HELPER = "127.0.0.12";
  private static final String JOB = "j-own";

  private final Vertx vertx = Vertx.vertx();
  private final Identity neighbor = Identity.generate();
  private Node helper;
  private HelperLink link;
  private TestOrigin origin;
  private final AtomicInteger serviceRequests = new AtomicInteger();

  @AfterEach
  void stop() {
    if (link != null) {
      Await.result(link.close());
    }
    if (helper != null) {
      Await.result(helper.close());
    }
    if (origin != null) {
      Await.result(origin.close());
    }
    Await.result(vertx.close());
  }

  @Test
  void aTrustedNeighborCannotMakeTheHelperFetchFromItsOwnPortsEvenWithLoopbackOpened() {
    startHelper("");

    for (int port : List.of(helper.statsPort(), helper.proxyPort(), helper.peerPort())) {
      PeerException refused = refusal("http://127.0.0.1:" + port + "/api/stats");

      assertThat(refused.code()).as("port " + port).isEqualTo(PeerErrorCode.DESTINATION_REFUSED);
      assertThat(refused.detail())
          .isEqualTo(PeerErrorCode.DESTINATION_REFUSED.fixedDetail())
          .doesNotContain("127.0.0.1")
          .doesNotContain(Integer.toString(port));
    }
  }

  @Test
  void theHelpersOwnPortsStayClosedOnItsOtherAddressesOpenedByAllowDestinations() {
    InetAddress mine = nonLoopbackAddress();
    startHelper(mine.getHostAddress() + "/32");

    PeerException refused =
        refusal("http://" + mine.getHostAddress() + ":" + helper.statsPort() + "/api/stats");

    assertThat(refused.code()).isEqualTo(PeerErrorCode.DESTINATION_REFUSED);
    assertThat(refused.detail()).doesNotContain(mine.getHostAddress());
  }

  @Test
  void aRedirectsLocationNeverReachesTheNeighbor() throws Exception {
    origin = Await.result(TestOrigin.builder().build().start(vertx));
    startHelper("");
    String secret = "http://10.9.8.7/intranet/payroll";

    PeerException refused =
        refusal(
            origin.url("/redirect/302?to=" + URLEncoder.encode(secret, StandardCharsets.UTF_8)));

    assertThat(refused.code()).isEqualTo(PeerErrorCode.REDIRECT);
    assertThat(refused.detail()).doesNotContain("10.9.8.7").doesNotContain("payroll");
  }

  @Test
  void aLanClientCannotReachAServiceOnTheRoutersNonLoopbackAddressThroughTheProxy()
      throws Exception {
    InetAddress mine = nonLoopbackAddress();
    String target = "http://" + mine.getHostAddress() + ":" + startService() + "/admin";

    try (ProxyNode proxy = ProxyNode.start(vertx, "")) {
      RawHttp.Reply reply =
          RawHttp.exchange(proxy.port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");

      assertThat(reply.status()).isEqualTo(403);
      assertThat(reply.body()).startsWith("OWN_ADDRESS: the destination is this router itself");
      assertThat(reply.text()).doesNotContain(mine.getHostAddress());
      assertThat(serviceRequests).hasValue(0);
    }
  }

  @Test
  void allowDestinationsOpensTheRoutersAddressButNeverTheProxysOwnPortOnIt() throws Exception {
    InetAddress mine = nonLoopbackAddress();
    String host = "http://" + mine.getHostAddress() + ":";
    int servicePort = startService();
    String opened =
        "security:\n  allowDestinations: [127.0.0.0/8, " + mine.getHostAddress() + "/32]\n";

    try (ProxyNode proxy = ProxyNode.startWith(vertx, "", opened)) {
      RawHttp.Reply reached =
          RawHttp.exchange(
              proxy.port(), "GET " + host + servicePort + "/admin HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Reply itself =
          RawHttp.exchange(
              proxy.port(), "GET " + host + proxy.port() + "/x HTTP/1.1\r\nHost: x\r\n\r\n");

      assertThat(reached.status()).isEqualTo(200);
      assertThat(reached.body()).isEqualTo("router admin");
      assertThat(itself.status()).isEqualTo(508);
    }
  }

  /** Starts the helper node, trusting {@link #neighbor}, with {@code extraAllowed} opened too. */
  private void startHelper(String extraAllowed) {
    LoopbackRouter router =
        LoopbackRouter.builder(HELPER, 40).trusted(List.of(neighbor.id())).build();
    String yaml =
        extraAllowed.isEmpty()
            ? router.yaml()
            : router
                .yaml()
                .replace(
                    "allowDestinations: [127.0.0.0/8]",
                    "allowDestinations: [127.0.0.0/8, " + extraAllowed + "]");
    helper = Await.result(Node.start(vertx, ConfigLoader.parse(yaml)));
    link =
        HelperLink.create(
            vertx,
            HelperLinkOptions.builder("127.0.0.1", helper.peerPort(), neighbor, router.id())
                .build());
    Await.result(link.offer(new JobOffer(JOB, 1000, 0)));
  }

  /** What the helper answers when asked for the first bytes of {@code url}. */
  private PeerException refusal(String url) {
    Throwable failure =
        Await.failure(link.fetch(JOB, new RangeFetch(url, 0, 99, 1000, "\"v\"", null)));
    assertThat(failure).isInstanceOf(PeerException.class);
    return (PeerException) failure;
  }

  /** A web service of the router's own, listening on every address; answers its port. */
  private int startService() {
    HttpServer service =
        Await.result(
            vertx
                .createHttpServer()
                .requestHandler(
                    request -> {
                      serviceRequests.incrementAndGet();
                      request.response().end("router admin");
                    })
                .listen(0, "0.0.0.0"));
    return service.actualPort();
  }

  /** An IPv4 address of one of this machine's interfaces other than loopback. */
  private static InetAddress nonLoopbackAddress() {
    InetAddress found = null;
    try {
      for (InetAddress address : InterfaceAddresses.upNonLoopback()) {
        if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
          found = address;
          break;
        }
      }
    } catch (java.net.SocketException e) {
      found = null;
    }
    assumeTrue(found != null, "this machine has no IPv4 address besides loopback");
    return found;
  }
}
