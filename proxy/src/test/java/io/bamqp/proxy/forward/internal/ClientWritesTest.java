package io.bamqp.proxy.forward.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.peer.DirectBuffers;
import io.bamqp.testbed.Await;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the proxy writes to a client passes through the node's pool of direct memory: the transport
 * copies each heap buffer it writes into a direct one from the connection's allocator, and with
 * Netty's default below 512 MiB of heap each body piece over 16.5 KiB was a fresh mapping, zeroed,
 * faulted in and unmapped (issue 12).
 */
@Timeout(30)
class ClientWritesTest {
  private static final int BODY = 4 * 1024 * 1024;

  private final Vertx vertx = Vertx.vertx(); // NIO: origin reads are not batched into the pool

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void aBodyWrittenToTheClientIsCopiedThroughTheNodesPool() throws Exception {
    byte[] body = new byte[BODY];
    HttpServer origin =
        Await.result(
            vertx
                .createHttpServer()
                .requestHandler(request -> request.response().end(Buffer.buffer(body)))
                .listen(0, "127.0.0.1"));
    ProxyServerImpl proxy = start();
    PoolArenaMetric pool =
        ((PooledByteBufAllocator) DirectBuffers.POOL).metric().directArenas().get(0);
    long before = pool.numAllocations();

    try (Socket client = new Socket("127.0.0.1", proxy.port())) {
      OutputStream out = client.getOutputStream();
      out.write(
          ("GET http://127.0.0.1:"
                  + origin.actualPort()
                  + "/f HTTP/1.1\r\nHost: 127.0.0.1:"
                  + origin.actualPort()
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = client.getInputStream();
      byte[] response = in.readAllBytes();
      String head = new String(response, 0, 12, StandardCharsets.ISO_8859_1);
      assertThat(head).isEqualTo("HTTP/1.1 200");
      assertThat(response.length).isGreaterThan(BODY);
    }

    assertThat(pool.numAllocations() - before)
        .as("client writes copied into the pool")
        .isPositive();
  }

  private ProxyServerImpl start() {
    return TestProxies.start(
        vertx,
        "proxy:\n  listen: 127.0.0.1:0\n"
            + "aggregation:\n  enabled: false\n"
            + "security:\n  allowDestinations: [127.0.0.0/8]\n",
        1);
  }
}
