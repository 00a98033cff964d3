package io.bamqp.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.bamqp.testbed.Await;
import io.vertx.core.Vertx;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every bad input the proxy meets gets its stated status, a reason, and never a hang. */
class BadInputIT {
  private static final int SMUGGLING_RUNS = 30;
  private final Vertx vertx = Vertx.vertx();
  private WireMockServer origin;

  @BeforeEach
  void startOrigin() {
    origin = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    origin.start();
    origin.stubFor(any(anyUrl()).willReturn(aResponse().withBody("fine")));
  }

  @AfterEach
  void stop() throws Exception {
    origin.stop();
    Await.result(vertx.close());
  }

  private String url(String path) {
    return "http://127.0.0.1:" + origin.port() + path;
  }

  private RawHttp.Reply through(String proxyKeys, String request) throws Exception {
    try (ProxyNode proxy = ProxyNode.start(vertx, proxyKeys)) {
      return RawHttp.exchange(proxy.port(), request);
    }
  }

  /** Like {@link #through}, then waits (with a deadline) to see whether the proxy closes. */
  private RawHttp.Reply throughAwaitingClose(String proxyKeys, String request) throws Exception {
    try (ProxyNode proxy = ProxyNode.start(vertx, proxyKeys)) {
      return RawHttp.exchange(proxy.port(), request, true);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP/1.1", "HTTP/1.0", "http/1.1"})
  void chunkedBodyWithContentLengthIsRefusedAndNothingBehindItReachesTheOrigin(String version)
      throws Exception {
    // The race this closes let the pipelined request through in 8 of 12 runs: try it often. The
    // fuzz tests found it open again for any request line but Netty's HTTP/1.1 constant.
    try (ProxyNode proxy = ProxyNode.start(vertx, "")) {
      for (int run = 0; run < SMUGGLING_RUNS; run++) {
        RawHttp.Reply reply =
            RawHttp.exchange(
                proxy.port(),
                "POST "
                    + url("/form")
                    + " "
                    + version
                    + "\r\nHost: x\r\nContent-Length: 5\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                    + "GET "
                    + url("/smuggled")
                    + " HTTP/1.1\r\nHost: x\r\n\r\n",
                true);

        assertThat(reply.status()).as("run %d", run).isEqualTo(400);
        assertThat(reply.body()).contains("Transfer-Encoding and Content-Length");
        assertThat(reply.closedByPeer()).as("run %d", run).isTrue();
      }
    }
    assertThat(origin.getAllServeEvents()).isEmpty();
  }

  @Test
  void http10ChunkedBodyWithContentLengthIsRefusedToo() throws Exception {
    RawHttp.Reply reply =
        throughAwaitingClose(
            "",
            "POST "
                + url("/form")
                + " HTTP/1.0\r\nHost: x\r\nContent-Length: 5\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.closedByPeer()).isTrue();
    assertThat(origin.getAllServeEvents()).isEmpty();
  }

  @Test
  void conflictingContentLengthsAreRefusedWith400() throws Exception {
    RawHttp.Reply reply =
        throughAwaitingClose(
            "",
            "POST "
                + url("/x")
                + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                + "Content-Length: 6\r\n\r\nhello!");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.closedByPeer()).isTrue();
    assertThat(origin.getAllServeEvents()).isEmpty();
  }

  @Test
  void unknownTransferEncodingIsRefusedWith400() throws Exception {
    RawHttp.Reply reply =
        throughAwaitingClose(
            "",
            "POST "
                + url("/x")
                + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body()).contains("Transfer-Encoding");
    assertThat(reply.closedByPeer()).isTrue();
  }

  @Test
  void badChunkSizeClosesTheConnectionAndNeverCompletesTheUpstreamRequest() throws Exception {
    // Vert.x's decoder fails the connection on a bad chunk size before a 400 can be written (see
    // DESIGN.md, "Framing and smuggling"); what matters is that nothing half-framed goes upstream.
    RawHttp.Reply reply =
        throughAwaitingClose(
            "",
            "POST "
                + url("/x")
                + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "zz\r\nhello\r\n0\r\n\r\n");

    assertThat(reply.text()).isEmpty();
    assertThat(reply.closedByPeer()).isTrue();
    assertThat(origin.getAllServeEvents()).isEmpty();
  }

  @Test
  void malformedOriginResponseGives502AndTheUpstreamConnectionIsClosed() throws Exception {
    try (ScriptedOrigin broken =
        ScriptedOrigin.answering("HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\nhello")) {
      RawHttp.Reply reply =
          through("", "GET http://127.0.0.1:" + broken.port() + "/ HTTP/1.1\r\nHost: x\r\n\r\n");

      assertThat(reply.status()).isEqualTo(502);
      assertThat(reply.body()).contains("malformed response");
      broken.proxyClosed().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void truncatedOriginBodyIsNeverDeliveredAsComplete() throws Exception {
    try (ScriptedOrigin truncating =
        ScriptedOrigin.answeringThenClosing(
            "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + "x".repeat(40))) {
      try (ProxyNode proxy = ProxyNode.start(vertx, "")) {
        assertThatThrownBy(
                () ->
                    RawHttp.exchange(
                        proxy.port(),
                        "GET http://127.0.0.1:"
                            + truncating.port()
                            + "/ HTTP/1.1\r\nHost: x\r\n\r\n"))
            .hasMessageContaining("connection closed after 40 of 100 body bytes");
      }
    }
  }

  @Test
  void unreachableOriginGives502NamingTheReason() throws Exception {
    int closedPort = ScriptedOrigin.closedPort();

    RawHttp.Reply reply =
        through("", "GET http://127.0.0.1:" + closedPort + "/ HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(reply.status()).isEqualTo(502);
    assertThat(reply.body())
        .isEqualTo("origin 127.0.0.1:" + closedPort + " is unreachable (connection refused)\n");
  }

  @Test
  void silentOriginGives504AfterTheOriginTimeout() throws Exception {
    try (ScriptedOrigin silent = ScriptedOrigin.silent()) {
      RawHttp.Reply reply =
          through(
              "originTimeout: 500ms",
              "GET http://127.0.0.1:" + silent.port() + "/ HTTP/1.1\r\nHost: x\r\n\r\n");

      assertThat(reply.status()).isEqualTo(504);
      assertThat(reply.body())
          .isEqualTo("origin 127.0.0.1:" + silent.port() + " sent nothing for 500 ms\n");
    }
  }

  @Test
  void clientOutsideAllowedClientsGets403() throws Exception {
    RawHttp.Reply reply =
        throughAwaitingClose(
            "allowedClients: [10.0.0.0/8]", "GET " + url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.body()).contains("127.0.0.1 is not in proxy.allowedClients");
    assertThat(reply.closedByPeer()).isTrue();
    assertThat(origin.getAllServeEvents()).isEmpty();
  }

  @Test
  void oversizedHeaderGets431() throws Exception {
    RawHttp.Reply reply =
        through(
            "maxHeaderSize: 4KiB",
            "GET "
                + url("/")
                + " HTTP/1.1\r\nHost: x\r\nX-Padding: "
                + "a".repeat(5000)
                + "\r\n\r\n");

    assertThat(reply.status()).isEqualTo(431);
    assertThat(origin.getAllServeEvents()).isEmpty();
  }

  @Test
  void overlongUriGets414() throws Exception {
    RawHttp.Reply reply =
        through(
            "maxUriLength: 1KiB",
            "GET " + url("/" + "a".repeat(2000)) + " HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(reply.status()).isEqualTo(414);
    assertThat(origin.getAllServeEvents()).isEmpty();
  }

  @Test
  void connectionsBeyondTheLimitGet503() throws Exception {
    try (ProxyNode proxy = ProxyNode.start(vertx, "maxClientConnections: 1");
        Socket first = new Socket("127.0.0.1", proxy.port())) {
      assertThat(first.isConnected()).isTrue();
      // Accepted by the kernel is not yet admitted: the proxy's loops run in parallel.
      await("the proxy has admitted the first connection")
          .atMost(Await.DEFAULT_DEADLINE)
          .until(() -> proxy.server().openConnections() == 1);
      RawHttp.Reply reply =
          RawHttp.exchange(proxy.port(), "GET " + url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n", true);

      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.body()).contains("too many client connections");
      assertThat(reply.closedByPeer()).isTrue();
    }
  }

  @Test
  void idleClientConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    try (ProxyNode proxy = ProxyNode.start(vertx, "idleTimeout: 1s");
        Socket idle = new Socket("127.0.0.1", proxy.port())) {
      idle.setSoTimeout(10_000);
      assertThat(idle.getInputStream().read()).as("end of stream").isEqualTo(-1);
    }
  }

  @Test
  void requestThatAlreadyPassedThisProxyIsALoop() throws Exception {
    try (ProxyNode proxy = ProxyNode.start(vertx, "")) {
      RawHttp.Reply first =
          RawHttp.exchange(proxy.port(), "GET " + url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      String via =
          first.text().lines().filter(line -> line.startsWith("Via:")).findFirst().orElseThrow();

      RawHttp.Reply looped =
          RawHttp.exchange(
              proxy.port(), "GET " + url("/") + " HTTP/1.1\r\nHost: x\r\n" + via + "\r\n\r\n");

      assertThat(looped.status()).isEqualTo(508);
      assertThat(looped.body()).contains("forwarding loop");
    }
  }

  @Test
  void requestAimedAtTheProxyItselfIsRefused() throws Exception {
    try (ProxyNode proxy = ProxyNode.start(vertx, "")) {
      RawHttp.Reply reply =
          RawHttp.exchange(
              proxy.port(),
              "GET http://localhost:" + proxy.port() + "/ HTTP/1.1\r\nHost: x\r\n\r\n");

      assertThat(reply.status()).isEqualTo(508);
      assertThat(reply.body()).contains("targets this node's own listening socket");
    }
  }

  @Test
  void theRoutersOwnLoopbackIsOutOfReachUnlessTheOwnerOpensIt() throws Exception {
    try (ProxyNode strict =
        ProxyNode.startWith(vertx, "", "security:\n  allowDestinations: []\n")) {
      RawHttp.Reply reply =
          RawHttp.exchange(strict.port(), "GET " + url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Reply byName =
          RawHttp.exchange(
              strict.port(),
              "GET http://localhost:" + origin.port() + "/ HTTP/1.1\r\nHost: x\r\n\r\n");

      assertThat(reply.status()).isEqualTo(403);
      assertThat(reply.body()).startsWith("OWN_ADDRESS: the destination is this router itself");
      assertThat(byName.status()).isEqualTo(403);
      assertThat(origin.getAllServeEvents()).isEmpty();
    }
  }

  @Test
  void malformedTargetsGet400WithTheReason() throws Exception {
    assertThat(through("", "GET https://example.test/ HTTP/1.1\r\nHost: x\r\n\r\n").body())
        .contains("CONNECT");
    assertThat(through("", "GET /no-host HTTP/1.0\r\n\r\n").body())
        .contains("without a Host header");
    assertThat(through("", "GET http://user:pw@127.0.0.1/ HTTP/1.1\r\nHost: x\r\n\r\n").body())
        .contains("user information");
    assertThat(through("", "GET http://127.0.0.1:99999/ HTTP/1.1\r\nHost: x\r\n\r\n").status())
        .isEqualTo(400);
  }

  @Test
  void controlCharactersInTheTargetGet400NotAnInternalError() throws Exception {
    // Percent-encoded control characters in the proxied URL stay encoded on the way out; /fetch
    // decodes its url= parameter, and raw ones arrive as they are.
    String[] fetched = {
      "/a%0d%0aX-Injected:%20yes", "/a%0aX", "/a%00b", "/a?q=%0d%0aX:%20y", "/a%20b", "/a%7fb"
    };
    String[] raw = {"/a\rX-Injected: yes", "/a\u0001b", "/a\u007fb", "/a\tb"};
    List<String> targets = new ArrayList<>();
    for (String path : raw) {
      targets.add(url(path));
    }
    try (ProxyNode proxy = ProxyNode.start(vertx, "")) {
      for (String path : fetched) {
        targets.add(
            "http://127.0.0.1:"
                + proxy.port()
                + "/fetch?url="
                + URLEncoder.encode(url(""), StandardCharsets.UTF_8)
                + path);
      }
      targets.add(
          "http://127.0.0.1:"
              + proxy.port()
              + "/fetch?url=http%3A%2F%2F127.0.0.1%0d%0a%3A"
              + origin.port()
              + "%2F");
      targets.add("http://127.0.0.1%0d%0a:" + origin.port() + "/");
      targets.add("http://127.0.0.1\u0001:" + origin.port() + "/");
      List<String> statuses = new ArrayList<>();
      for (String target : targets) {
        RawHttp.Reply reply =
            RawHttp.exchange(proxy.port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
        statuses.add(reply.status() + " " + target);
      }
      for (String request :
          List.of(
              "CONNECT 127.0.0.1%0d%0a:443 HTTP/1.1\r\nHost: x\r\n\r\n",
              "CONNECT 127.0.0.1\u0001:443 HTTP/1.1\r\nHost: x\r\n\r\n",
              "GET /a\u0001b HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n",
              "GET /a HTTP/1.1\r\nHost: 127.0.0.1%0d%0a:" + origin.port() + "\r\n\r\n",
              "GET /a HTTP/1.1\r\nHost: 127.0.0.1\u0001:" + origin.port() + "\r\n\r\n")) {
        statuses.add(RawHttp.exchange(proxy.port(), request).status() + " " + request);
      }
      assertThat(statuses).allMatch(line -> line.startsWith("400 "));
    }
    assertThat(origin.getAllServeEvents())
        .extracting(event -> event.getRequest().getUrl())
        .noneMatch(url -> url.contains("\r") || url.contains("\n") || url.contains("\u0000"));
  }
}
