package io.bamqp.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.bamqp.testbed.Await;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy against a WireMock origin: methods, bodies, framing and header semantics. */
class ForwardProxyIT {
  private final Vertx vertx = Vertx.vertx();
  private WireMockServer origin;
  private ProxyNode proxy;
  private HttpClient client;

  @BeforeEach
  void start() throws Exception {
    origin = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    origin.start();
    proxy = ProxyNode.start(vertx, "");
    client =
        HttpClient.newBuilder()
            .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port())))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    origin.stop();
    Await.result(vertx.close());
  }

  private String url(String path) {
    return "http://127.0.0.1:" + origin.port() + path;
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
    return client.send(
        request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void getReturnsTheOriginsBodyAndStatusAndAddsVia() throws Exception {
    origin.stubFor(
        get("/hello").willReturn(aResponse().withStatus(203).withBody("hello, neighbor")));

    HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(url("/hello"))));

    assertThat(response.statusCode()).isEqualTo(203);
    assertThat(new String(response.body())).isEqualTo("hello, neighbor");
    assertThat(response.headers().firstValue("via"))
        .hasValueSatisfying(via -> assertThat(via).matches("1\\.1 bamqp-[0-9a-f]{8}"));
    origin.verify(
        getRequestedFor(urlEqualTo("/hello"))
            .withHeader("Via", matching("1\\.1 bamqp-[0-9a-f]{8}")));
  }

  @Test
  void queryStringsAndMethodsReachTheOriginUnchanged() throws Exception {
    origin.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

    for (String method : new String[] {"PUT", "DELETE", "PATCH", "OPTIONS"}) {
      HttpResponse<byte[]> response =
          send(
              HttpRequest.newBuilder(URI.create(url("/thing?a=1&b=%20x")))
                  .method(method, HttpRequest.BodyPublishers.noBody()));
      assertThat(response.statusCode()).as(method).isEqualTo(200);
    }
    assertThat(origin.getAllServeEvents())
        .extracting(
            event -> event.getRequest().getMethod().getName() + " " + event.getRequest().getUrl())
        .containsExactlyInAnyOrder(
            "PUT /thing?a=1&b=%20x",
            "DELETE /thing?a=1&b=%20x", "PATCH /thing?a=1&b=%20x", "OPTIONS /thing?a=1&b=%20x");
  }

  @Test
  void postBodyOfSeveralMebibytesReachesTheOriginByteForByte() throws Exception {
    byte[] body = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(body);
    origin.stubFor(
        any(urlEqualTo("/upload")).willReturn(aResponse().withStatus(201).withBody("stored")));

    HttpResponse<byte[]> response =
        send(
            HttpRequest.newBuilder(URI.create(url("/upload")))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(new String(response.body())).isEqualTo("stored");
    origin.verify(
        postRequestedFor(urlEqualTo("/upload"))
            .withHeader("Content-Length", equalTo(Integer.toString(body.length)))
            .withRequestBody(binaryEqualTo(body)));
  }

  @Test
  void chunkedRequestBodyIsForwardedChunked() throws Exception {
    origin.stubFor(any(urlEqualTo("/stream")).willReturn(aResponse().withStatus(200)));

    RawHttp.Reply reply =
        RawHttp.exchange(
            proxy.port(),
            "POST "
                + url("/stream")
                + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n",
            true);

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.closedByPeer()).as("a chunked request's connection is not reused").isTrue();
    origin.verify(postRequestedFor(urlEqualTo("/stream")).withRequestBody(equalTo("hello, world")));
  }

  @Test
  void chunkedResponseIsRelayedWhole() throws Exception {
    String body = "x".repeat(200_000);
    origin.stubFor(
        get("/chunked").willReturn(aResponse().withBody(body).withChunkedDribbleDelay(20, 200)));

    HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(url("/chunked"))));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new String(response.body())).isEqualTo(body);
  }

  @Test
  void headKeepsTheLengthAndSendsNoBody() throws Exception {
    origin.stubFor(
        any(urlEqualTo("/file")).willReturn(aResponse().withHeader("Content-Length", "12345")));

    RawHttp.Reply reply =
        RawHttp.exchange(proxy.port(), "HEAD " + url("/file") + " HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.text().toLowerCase()).contains("content-length: 12345");
    assertThat(reply.body()).isEmpty();
  }

  @Test
  void noContentAndNotModifiedCarryNoBody() throws Exception {
    origin.stubFor(get("/204").willReturn(aResponse().withStatus(204)));
    origin.stubFor(
        get("/304").willReturn(aResponse().withStatus(304).withHeader("ETag", "\"v1\"")));

    HttpResponse<byte[]> noContent = send(HttpRequest.newBuilder(URI.create(url("/204"))));
    HttpResponse<byte[]> notModified =
        send(HttpRequest.newBuilder(URI.create(url("/304"))).header("If-None-Match", "\"v1\""));

    assertThat(noContent.statusCode()).isEqualTo(204);
    assertThat(noContent.body()).isEmpty();
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.headers().firstValue("etag")).hasValue("\"v1\"");
    assertThat(notModified.body()).isEmpty();
  }

  @Test
  void hopByHopHeadersAreRemovedInBothDirections() throws Exception {
    origin.stubFor(
        get("/hop")
            .willReturn(
                aResponse()
                    .withHeader("Connection", "X-Origin-Private")
                    .withHeader("X-Origin-Private", "secret")
                    .withHeader("X-Kept", "yes")
                    .withBody("ok")));

    RawHttp.Reply reply =
        RawHttp.exchange(
            proxy.port(),
            "GET "
                + url("/hop")
                + " HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, X-Client-Private\r\n"
                + "X-Client-Private: secret\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\n"
                + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\nTE: trailers\r\nUpgrade: h2c\r\nX-End-To-End: kept\r\n\r\n");

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.text()).contains("X-Kept: yes").doesNotContain("X-Origin-Private");
    origin.verify(
        getRequestedFor(urlEqualTo("/hop"))
            .withHeader("X-End-To-End", equalTo("kept"))
            .withHeader("X-Client-Private", absent())
            .withHeader("Keep-Alive", absent())
            .withHeader("Proxy-Connection", absent())
            .withHeader("Proxy-Authorization", absent())
            .withHeader("TE", absent())
            .withHeader("Upgrade", absent()));
  }

  @Test
  void transparentRequestIsRoutedByItsHostHeader() throws Exception {
    origin.stubFor(get("/transparent?q=1").willReturn(aResponse().withBody("via redirect")));

    RawHttp.Reply reply =
        RawHttp.exchange(
            proxy.port(),
            "GET /transparent?q=1 HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n");

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("via redirect");
    origin.verify(
        getRequestedFor(urlEqualTo("/transparent?q=1"))
            .withHeader("Host", equalTo("127.0.0.1:" + origin.port())));
  }

  @Test
  void http10ClientGetsTheWholeBody() throws Exception {
    origin.stubFor(get("/old").willReturn(aResponse().withBody("from the nineties")));
    origin.stubFor(
        get("/old-chunked")
            .willReturn(aResponse().withBody("no length here").withChunkedDribbleDelay(3, 30)));

    RawHttp.Reply sized =
        RawHttp.exchange(proxy.port(), "GET " + url("/old") + " HTTP/1.0\r\n\r\n");
    RawHttp.Reply unsized =
        RawHttp.exchange(proxy.port(), "GET " + url("/old-chunked") + " HTTP/1.0\r\n\r\n", true);

    assertThat(sized.status()).isEqualTo(200);
    assertThat(sized.body()).isEqualTo("from the nineties");
    assertThat(unsized.closedByPeer()).isTrue();
    assertThat(unsized.body()).isEqualTo("no length here");
    assertThat(unsized.text().toLowerCase()).doesNotContain("transfer-encoding");
  }

  @Test
  void keepAliveReusesOneClientConnectionForManyRequests() throws Exception {
    origin.stubFor(get("/again").willReturn(aResponse().withBody("again")));

    for (int i = 0; i < 5; i++) {
      assertThat(send(HttpRequest.newBuilder(URI.create(url("/again")))).statusCode())
          .isEqualTo(200);
    }

    assertThat(proxy.server().openConnections()).isEqualTo(1);
  }
}
