package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading must stop the origin too: the proxy holds no more than its socket
 * buffers and one write queue, however large the body.
 */
class BackPressureIT {
  private static final long BODY_BYTES = 512 * Content.MIB;

  /** Kernel socket buffers on both hops plus Vert.x write queues: far below the body size. */
  private static final long MAX_BYTES_IN_FLIGHT = 64 * Content.MIB;

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
    Await.result(origin.close());
    Await.result(vertx.close());
  }

  @Test
  void clientThatStopsReadingPausesTheOriginAndKeepsTheHeapBounded() throws Exception {
    long heapBefore = usedHeapAfterGc();
    try (Socket client = new Socket("127.0.0.1", proxy.port())) {
      client
          .getOutputStream()
          .write(
              ("GET " + origin.url("/files/" + BODY_BYTES) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      readHead(client.getInputStream());

      // The client now reads nothing more. Wait until the origin has been told to wait and its
      // byte count has stopped moving: that is the whole pipeline holding still.
      long[] lastSent = {-1};
      await("the origin waits on a full write queue and sends nothing more")
          .atMost(Await.DEFAULT_DEADLINE)
          .until(
              () -> {
                long sent = origin.bytesSent();
                boolean still = origin.writeQueueFullCount() > 0 && sent == lastSent[0];
                lastSent[0] = sent;
                return still;
              });

      assertThat(origin.bytesSent()).isLessThan(MAX_BYTES_IN_FLIGHT);
      assertThat(usedHeapAfterGc() - heapBefore).isLessThan(MAX_BYTES_IN_FLIGHT);
    }
    // The client hung up mid-body: the proxy must close its origin connection too.
    await("the origin connection is closed")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> origin.stats("127.0.0.1").openConnections() == 0);
  }

  private static void readHead(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int b = in.read();
      assertThat(b).as("response head").isNotNegative();
      head.append((char) b);
    }
    assertThat(head.toString()).startsWith("HTTP/1.1 200");
  }

  private static long usedHeapAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
