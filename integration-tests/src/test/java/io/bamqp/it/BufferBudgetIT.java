package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.bamqp.proxy.aggregation.DownloadSnapshot;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients that never read cannot make the node buffer more than twice {@code
 * aggregation.totalBufferBytes} (the windows share it equally, a new one starting at the minimum
 * window before the others have made room): downloads beyond an equal share of at least the minimum
 * stream through, and every download completes byte-exact once its client reads.
 */
@Timeout(180)
class BufferBudgetIT {
  private static final long FILE = 32 * Content.MIB;
  private static final long WINDOW = 4 * Content.MIB;
  private static final long BUDGET = 8 * Content.MIB;
  private static final int CLIENTS = 6;

  /** 8 MiB shared equally with windows of at least 2 MiB: four downloads. */
  private static final int AGGREGATED = 4;

  /** A chunk of 256 KiB per source that may land as the window closes. */
  private static final long SLACK = Content.MIB;

  private final Vertx vertx = Vertx.vertx();
  private final List<Socket> clients = new ArrayList<>();
  private Cluster cluster;

  @AfterEach
  void stop() throws Exception {
    for (Socket client : clients) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    Await.result(vertx.close());
  }

  @Test
  void clientsThatNeverReadHoldNoMoreThanTwiceTheBudgetAndTheRestStreamThrough() throws Exception {
    cluster =
        Cluster.start(
            vertx,
            Duration.ofMillis(5),
            "bufferBytes: 4MiB\ntotalBufferBytes: 8MiB",
            200,
            200,
            200);
    StatsPage home = new StatsPage(cluster.statsPort());
    await("both neighbors online at the home node, so every download may be split")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(
            () -> {
              JsonNode peers = home.json("/api/peers").get("peers");
              return IntStream.range(0, peers.size())
                      .filter(i -> peers.get(i).get("state").asText().startsWith("online"))
                      .count()
                  == 2;
            });
    List<DownloadSnapshot> ended = new CopyOnWriteArrayList<>();
    cluster.node(0).proxy().downloads().onEnded(ended::add);

    for (int i = 0; i < CLIENTS; i++) {
      Socket client = new Socket("127.0.0.1", cluster.proxyPort());
      clients.add(client);
      client
          .getOutputStream()
          .write(
              ("GET " + cluster.origin().url("/files/" + FILE) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      readHead(client.getInputStream());
    }

    // Nobody reads: the aggregated downloads fill their windows and hold still.
    AtomicLong highest = new AtomicLong();
    long[] last = {-1};
    await("the aggregated downloads' buffers fill and hold still while nobody reads")
        .atMost(Await.DEFAULT_DEADLINE)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              List<DownloadSnapshot> live = cluster.node(0).proxy().downloads().live();
              long sent = cluster.origin().bytesSent();
              long buffered = live.stream().mapToLong(DownloadSnapshot::bufferedBytes).sum();
              long held = live.stream().mapToLong(DownloadSnapshot::maxBufferedBytes).sum();
              highest.accumulateAndGet(Math.max(buffered, held), Math::max);
              boolean still = buffered > 0 && sent == last[0];
              last[0] = sent;
              return still;
            });
    await("the buffers stay within the budget while they stall")
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              List<DownloadSnapshot> live = cluster.node(0).proxy().downloads().live();
              long held = live.stream().mapToLong(DownloadSnapshot::maxBufferedBytes).sum();
              highest.accumulateAndGet(held, Math::max);
              return held <= 2 * BUDGET + SLACK;
            });
    assertThat(highest.get()).isLessThanOrEqualTo(2 * BUDGET + SLACK);
    assertThat(cluster.node(0).proxy().downloads().live()).hasSize(AGGREGATED);
    assertThat(cluster.node(0).proxy().downloads().budget().reservedBytes())
        .isBetween(BUDGET / 2, 2 * BUDGET);

    List<CompletableFuture<String>> bodies = new ArrayList<>();
    for (Socket client : clients) {
      bodies.add(CompletableFuture.supplyAsync(() -> sha256OfBody(client)));
    }
    for (CompletableFuture<String> body : bodies) {
      assertThat(body.get(120, TimeUnit.SECONDS)).isEqualTo(Content.ofSize(FILE).sha256Hex());
    }
    await("every download has ended")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> ended.size() == CLIENTS);
    assertThat(ended)
        .filteredOn(snapshot -> snapshot.reason() != null)
        .extracting(DownloadSnapshot::reason)
        .hasSize(CLIENTS - AGGREGATED)
        .allMatch(
            reason ->
                reason.equals(
                    "buffer budget of 8.0 MiB shared by 4 downloads already (at least 2.0 MiB"
                        + " each): streamed through"));
    assertThat(cluster.node(0).proxy().recentDownloads()).hasSize(AGGREGATED);
    await("every window is back")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> cluster.node(0).proxy().downloads().budget().reservedBytes() == 0);
  }

  private static void readHead(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int b = in.read();
      assertThat(b).as("response head").isNotNegative();
      head.append((char) b);
    }
    assertThat(head.toString()).startsWith("HTTP/1.1 200").contains("" + FILE);
  }

  private static String sha256OfBody(Socket client) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      InputStream in = client.getInputStream();
      byte[] buffer = new byte[1 << 16];
      long left = FILE;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new IllegalStateException(left + " bytes short");
        }
        digest.update(buffer, 0, n);
        left -= n;
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
