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
}
