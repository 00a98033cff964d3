package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy's own {@code /fetch?url=} endpoint, the documented way to accelerate HTTPS. */
class FetchEndpointIT {
  private final Vertx vertx = Vertx.vertx();
  private TestOrigin origin;
  private ProxyNode proxy;

  @BeforeEach
  void start() throws Exception {
    origin = Await.result(TestOrigin.builder().build().start(vertx));
    proxy = ProxyNode.start(vertx, "");
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    Await.result(vertx.close());
  }

  private String fetchPath(String url) {
    return "/fetch?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8);
  }

  @Test
  void fetchEndpointFetchesTheNamedUrlInBothRequestForms() throws Exception {
    String url = origin.url("/files/64KiB");

    RawHttp.Reply originForm =
        RawHttp.exchange(
            proxy.port(),
            "GET " + fetchPath(url) + " HTTP/1.1\r\nHost: 127.0.0.1:" + proxy.port() + "\r\n\r\n");
    RawHttp.Reply absoluteForm =
        RawHttp.exchange(
            proxy.port(),
            "GET http://127.0.0.1:"
                + proxy.port()
                + fetchPath(url)
                + " HTTP/1.1\r\nHost: x\r\n\r\n");

    byte[] expected = Content.ofSize(64 * 1024).slice(0, 64 * 1024).getBytes();
    assertThat(originForm.status()).isEqualTo(200);
    assertThat(originForm.body().getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(expected);
    assertThat(absoluteForm.body().getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(expected);
  }

  @Test
  void httpsWithAnUntrustedCertificateIsRefusedWith502() throws Exception {
    NetServer tls =
        Await.result(
            vertx
                .createNetServer(
                    new NetServerOptions()
                        .setSsl(true)
                        .setKeyCertOptions(
                            SelfSignedCertificate.create("localhost").keyCertOptions()))
                .connectHandler(socket -> {})
                .listen(0, "127.0.0.1"));

    RawHttp.Reply reply =
        RawHttp.exchange(
            proxy.port(),
            "GET "
                + fetchPath("https://localhost:" + tls.actualPort() + "/file.iso")
                + " HTTP/1.1\r\nHost: 127.0.0.1:"
                + proxy.port()
                + "\r\n\r\n");

    assertThat(reply.status()).isEqualTo(502);
    assertThat(reply.body()).contains("TLS to origin localhost:" + tls.actualPort() + " failed");
  }

  @Test
  void fetchWithoutAUrlOrWithAnotherSchemeIs400() throws Exception {
    String host = "Host: 127.0.0.1:" + proxy.port() + "\r\n\r\n";

    assertThat(RawHttp.exchange(proxy.port(), "GET /fetch?x=1 HTTP/1.1\r\n" + host).body())
        .contains("/fetch needs ?url=");
    assertThat(
            RawHttp.exchange(proxy.port(), "GET " + fetchPath("ftp://a/b") + " HTTP/1.1\r\n" + host)
                .body())
        .contains("http:// or https://");
    assertThat(
            RawHttp.exchange(
                    proxy.port(),
                    "GET "
                        + fetchPath("http://127.0.0.1:" + proxy.port() + "/")
                        + " HTTP/1.1\r\n"
                        + host)
                .status())
        .isEqualTo(508);
  }

  @Test
  void anUnencodedUrlWithItsOwnQueryIsFetchedAndNamed() throws Exception {
    RawHttp.Reply reply =
        RawHttp.exchange(
            proxy.port(),
            "GET /fetch?url="
                + origin.url("/files/64KiB?x=1&y=2")
                + " HTTP/1.1\r\nHost: 127.0.0.1:"
                + proxy.port()
                + "\r\n\r\n");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().getBytes(StandardCharsets.ISO_8859_1))
        .isEqualTo(Content.ofSize(64 * 1024).slice(0, 64 * 1024).getBytes());
    assertThat(reply.text()).contains("Content-Disposition: attachment; filename=\"64KiB\"");
  }

  @Test
  void aRebindingHostIsRefusedWith403BeforeAnyLookup() throws Exception {
    String path = fetchPath(origin.url("/files/1KiB"));

    RawHttp.Reply originForm =
        RawHttp.exchange(
            proxy.port(),
            "GET " + path + " HTTP/1.1\r\nHost: evil.example.com:" + proxy.port() + "\r\n\r\n");
    RawHttp.Reply absoluteForm =
        RawHttp.exchange(
            proxy.port(),
            "GET http://evil.example.com:"
                + proxy.port()
                + path
                + " HTTP/1.1\r\nHost: evil.example.com\r\n\r\n");
    RawHttp.Reply lanName =
        RawHttp.exchange(
            proxy.port(),
            "GET " + path + " HTTP/1.1\r\nHost: localhost:" + proxy.port() + "\r\n\r\n");

    assertThat(originForm.status()).isEqualTo(403);
    assertThat(originForm.body())
        .startsWith("/fetch answers to this router's address, not to 'evil.example.com'");
    assertThat(originForm.text())
        .contains("X-Content-Type-Options: nosniff")
        .contains("Content-Security-Policy: sandbox");
    assertThat(absoluteForm.status()).isEqualTo(403);
    assertThat(lanName.status()).isEqualTo(200);
  }

  @Test
  void anOriginsHtmlComesBackAsAnAttachmentThatCannotRunAsTheRouters() throws Exception {
    String page = "<html><script>fetch('/api/downloads')</script></html>";
    try (ScriptedOrigin html =
        ScriptedOrigin.answering(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                + page.length()
                + "\r\n\r\n"
                + page)) {
      RawHttp.Reply reply =
          RawHttp.exchange(
              proxy.port(),
              "GET /fetch?url=http://127.0.0.1:"
                  + html.port()
                  + "/page.html HTTP/1.1\r\nHost: 127.0.0.1:"
                  + proxy.port()
                  + "\r\n\r\n");

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body()).isEqualTo(page);
      assertThat(reply.text())
          .contains("Content-Type: text/html")
          .contains("X-Content-Type-Options: nosniff")
          .contains("Content-Security-Policy: sandbox")
          .contains("Content-Disposition: attachment; filename=\"page.html\"");
    }
  }
}
