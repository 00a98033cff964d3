package io.bamqp.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.bamqp.testbed.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that hold connections without finishing requests (issue 14, finding 5): 1024 connections
 * trickling one header line every 20 s once made every other client get 503. A whole request head
 * has a deadline, one address holds a bounded share of the slots, and idle kept-alive connections
 * give theirs up first.
 */
@Timeout(120)
class SlowClientsIT {
  private static final String PARTIAL_HEAD = "Host: x\r\nX-Slow: 1\r\n";

  private final Vertx vertx = Vertx.vertx();
  private WireMockServer origin;

  @BeforeEach
  void startOrigin() {
    origin = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    origin.start();
    origin.stubFor(any(anyUrl()).willReturn(aResponse().withBody("fine")));
  }

  @AfterEach
  void stop() {
    origin.stop();
    Await.result(vertx.close());
  }

  private String url(String path) {
    return "http://127.0.0.1:" + origin.port() + path;
  }

  private String get(String path) {
    return "GET " + url(path) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  }

  @Test
  void slowHeadsFromOneAddressLeaveRoomForEveryoneElse(@TempDir Path dir) throws Exception {
    List<RawHttp.Connection> slow = new ArrayList<>();
    try (ProxyNode proxy =
        ProxyNode.start(
            vertx, "maxClientConnections: 16\nmaxConnectionsPerClient: 8\nheaderTimeout: 60s")) {
      // Three times the proxy's slots, all from one address, each stuck in its request head.
      for (int i = 0; i < 48; i++) {
        RawHttp.Connection connection = RawHttp.Connection.open(proxy.port(), "127.0.0.1");
        slow.add(connection);
        connection.send("GET " + url("/slow") + " HTTP/1.1\r\n" + PARTIAL_HEAD);
      }
      RawHttp.Reply oneMore;
      try (RawHttp.Connection more = RawHttp.Connection.open(proxy.port(), "127.0.0.1")) {
        more.send(get("/more"));
        oneMore = more.reply();
      }

      Path saved =
          Clients.curl(
              "http://127.0.0.1:" + proxy.port(),
              dir.resolve("out"),
              url("/normal"),
              "--interface",
              "127.0.0.2");

      assertThat(Files.readString(saved)).isEqualTo("fine");
      assertThat(oneMore.status()).isEqualTo(503);
      assertThat(oneMore.body())
          .contains("too many connections from 127.0.0.1 (proxy.maxConnectionsPerClient: 8)");
    } finally {
      for (RawHttp.Connection connection : slow) {
        connection.close();
      }
    }
  }

  @Test
  void aHeadStillTricklingAtTheDeadlineIsAnswered408AndClosed() throws Exception {
    try (ProxyNode proxy = ProxyNode.start(vertx, "headerTimeout: 1s\nidleTimeout: 60s")) {
      NetSocket socket = Await.result(vertx.createNetClient().connect(proxy.port(), "127.0.0.1"));
      Buffer received = Buffer.buffer();
      Promise<Void> closed = Promise.promise();
      AtomicInteger linesSent = new AtomicInteger();
      socket.handler(received::appendBuffer);
      socket.write("GET " + url("/trickle") + " HTTP/1.1\r\nHost: x\r\n");
      // One header line every 100 ms: the connection is never idle, its head never complete.
      long trickle =
          vertx.setPeriodic(
              100, tick -> socket.write("X-Line-" + linesSent.incrementAndGet() + ": 1\r\n"));
      socket.closeHandler(end -> closed.complete());

      Await.result(closed.future());
      vertx.cancelTimer(trickle);

      String answer = received.toString(StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout\r\n");
      assertThat(answer).contains("request head not received within proxy.headerTimeout (1s)");
      assertThat(linesSent.get()).as("header lines sent before the deadline").isGreaterThan(3);
      assertThat(origin.getAllServeEvents()).isEmpty();
    }
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAtTheDeadlineWithoutAnAnswer() throws Exception {
    try (ProxyNode proxy = ProxyNode.start(vertx, "headerTimeout: 1s\nidleTimeout: 60s");
        RawHttp.Connection silent = RawHttp.Connection.open(proxy.port(), "127.0.0.1")) {
      assertThat(silent.untilClosed()).isEmpty();
    }
  }

  @Test
  void aFullProxyClosesItsLongestIdleConnectionForANewClient() throws Exception {
    try (ProxyNode proxy = ProxyNode.start(vertx, "maxClientConnections: 2\nheaderTimeout: 60s");
        RawHttp.Connection oldest = RawHttp.Connection.open(proxy.port(), "127.0.0.1");
        RawHttp.Connection newer = RawHttp.Connection.open(proxy.port(), "127.0.0.3")) {
      oldest.send(get("/first"));
      assertThat(oldest.reply().status()).isEqualTo(200);
      newer.send(get("/second"));
      assertThat(newer.reply().status()).isEqualTo(200);

      RawHttp.Reply third;
      try (RawHttp.Connection latest = RawHttp.Connection.open(proxy.port(), "127.0.0.4")) {
        latest.send(get("/third"));
        third = latest.reply();
      }

      assertThat(third.status()).as(third.text()).isEqualTo(200);
      assertThat(oldest.untilClosed()).as("the longest idle connection is closed").isEmpty();
      newer.send(get("/again"));
      assertThat(newer.reply().status()).as("the newer idle connection still works").isEqualTo(200);
    }
  }

  @Test
  void aConnectionMidRequestHeadIsNeverShedAndTheNewcomerGets503() throws Exception {
    try (ProxyNode proxy = ProxyNode.start(vertx, "maxClientConnections: 1\nheaderTimeout: 60s");
        RawHttp.Connection busy = RawHttp.Connection.open(proxy.port(), "127.0.0.1")) {
      busy.send("GET " + url("/first") + " HTTP/1.1\r\n" + PARTIAL_HEAD);
      // The proxy's loops run in parallel: until busy's loop has read those bytes, busy is an
      // idle connection like any other, and the newcomer would rightly take its slot.
      await("the proxy has read part of busy's request head")
          .atMost(Await.DEFAULT_DEADLINE)
          .until(
              () -> proxy.server().openConnections() == 1 && proxy.server().idleConnections() == 0);

      RawHttp.Reply refused;
      try (RawHttp.Connection newcomer = RawHttp.Connection.open(proxy.port(), "127.0.0.5")) {
        newcomer.send(get("/second"));
        refused = newcomer.reply();
      }
      busy.send("\r\n");

      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.body()).contains("too many client connections");
      assertThat(busy.reply().status()).as("the slow request completes").isEqualTo(200);
    }
  }
}
