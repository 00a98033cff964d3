package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.proxy.node.Node;
import io.bamqp.testbed.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A large download through a {@code CONNECT} tunnel shows in the history as not accelerated. */
class TunnelHistoryIT {
  private static final int MIN_BYTES = 64 * 1024;
  private static final String REASON =
      "HTTPS tunnel: not accelerated (use the extension or /fetch)";

  private final Vertx vertx = Vertx.vertx();
  private NetServer origin;
  private Node node;
  @TempDir Path state;

  /** A TCP origin that sends the size asked in its first line, then closes. */
  @BeforeEach
  void start() throws Exception {
    origin =
        Await.result(
            vertx
                .createNetServer()
                .connectHandler(
                    socket ->
                        socket.handler(
                            line -> {
                              int size = Integer.parseInt(line.toString().trim());
                              socket.end(Buffer.buffer(new byte[size]));
                            }))
                .listen(0, "127.0.0.1"));
    String yaml =
        """
        proxy:
          listen: 127.0.0.1:0
          connectPorts: [%d]
        aggregation:
          minBytes: %d
        peer:
          listen: 127.0.0.1:0
        security:
          allowDestinations: [127.0.0.0/8]
        discovery:
          mdns: false
        stats:
          listen: 127.0.0.1:0
        state:
          dir: '%s'
        """
            .formatted(origin.actualPort(), MIN_BYTES, state.toString().replace("'", "''"));
    node = Await.result(Node.start(vertx, ConfigLoader.parse(yaml)));
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      Await.result(node.close());
    }
    Await.result(vertx.close());
  }

  /** Opens a tunnel, asks the origin for {@code size} bytes, reads them to the end, closes. */
  private long tunnel(int size) throws Exception {
    String authority = "127.0.0.1:" + origin.actualPort();
    try (Socket socket = new Socket("127.0.0.1", node.proxyPort())) {
      socket.setSoTimeout(20_000);
      socket
          .getOutputStream()
          .write(
              ("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      while (head.indexOf("\r\n\r\n") < 0) {
        head.append((char) in.read());
      }
      assertThat(head.toString()).startsWith("HTTP/1.1 200");
      socket.getOutputStream().write((size + "\n").getBytes(StandardCharsets.US_ASCII));
      long received = 0;
      byte[] buffer = new byte[64 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        received += n;
      }
      return received;
    }
  }

  @Test
  void aTunnelThatBroughtMoreThanMinBytesIsRecordedWithItsHostAndPortAndTheReason()
      throws Exception {
    int large = 4 * MIN_BYTES;
    assertThat(tunnel(MIN_BYTES / 4)).isEqualTo(MIN_BYTES / 4);
    assertThat(tunnel(large)).isEqualTo(large);

    StatsPage page = new StatsPage(node.statsPort());
    await("the tunnel in the history")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(
            () -> {
              try {
                return page.json("/api/downloads").get("history").size() > 0;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    JsonNode history = page.json("/api/downloads").get("history");
    assertThat(history).as("only the large tunnel").hasSize(1);
    JsonNode tunnel = history.get(0);
    assertThat(tunnel.get("url").asText()).isEqualTo("127.0.0.1:" + origin.actualPort());
    assertThat(tunnel.get("reason").asText()).isEqualTo(REASON);
    assertThat(tunnel.get("outcome").asText()).isEqualTo("NOT_AGGREGATED");
    assertThat(tunnel.get("written").asLong()).isEqualTo(large);
    assertThat(page.json("/api/stats").get("downloads").get("not_aggregated").asLong())
        .isEqualTo(1);
  }
}
