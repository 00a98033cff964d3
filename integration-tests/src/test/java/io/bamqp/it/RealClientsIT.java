package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real download clients from the distribution, pointed at the proxy as users would. */
class RealClientsIT {
  private static final long FILE_BYTES = 48 * Content.MIB;

  /** The proxy's own WAN address: the origin's counters tell proxied bytes from direct ones. */
  private static final String PROXY_WAN = "127.0.0.9";

  private final Vertx vertx = Vertx.vertx();
  private TestOrigin origin;
  private ProxyNode proxy;
  @TempDir Path downloads;

  @BeforeEach
  void start() throws Exception {
    origin = Await.result(TestOrigin.builder().build().start(vertx));
    proxy = ProxyNode.startWith(vertx, "", "wan:\n  bindAddress: " + PROXY_WAN + "\n");
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    Await.result(origin.close());
    Await.result(vertx.close());
  }

  @Test
  void curlDownloadsTheExactBytes() throws Exception {
    Path file = Clients.curl(proxyUrl(), downloads.resolve("curl.bin"), fileUrl());

    assertThat(Clients.sha256(file)).isEqualTo(Content.ofSize(FILE_BYTES).sha256Hex());
    assertThat(origin.stats(PROXY_WAN).bytesSent()).isEqualTo(FILE_BYTES);
  }

  @Test
  void wgetDownloadsTheExactBytes() throws Exception {
    Path file = downloads.resolve("wget.bin");
    Clients.succeed(
        List.of("wget", "--quiet", "--tries=1", "--output-document=" + file, fileUrl()),
        Map.of("http_proxy", proxyUrl(), "no_proxy", ""));

    assertThat(Clients.sha256(file)).isEqualTo(Content.ofSize(FILE_BYTES).sha256Hex());
    assertThat(origin.stats(PROXY_WAN).bytesSent()).isEqualTo(FILE_BYTES);
  }

  private String proxyUrl() {
    return "http://127.0.0.1:" + proxy.port();
  }

  private String fileUrl() {
    return origin.url("/files/" + FILE_BYTES);
  }
}
