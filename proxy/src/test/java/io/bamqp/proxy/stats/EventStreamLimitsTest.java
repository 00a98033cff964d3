package io.bamqp.proxy.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.proxy.aggregation.BufferBudget;
import io.bamqp.proxy.aggregation.DownloadBoard;
import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.proxy.node.ConfigMapping;
import io.bamqp.testbed.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/events} streams are bounded without locking anyone out (issue 14, finding 9): 16 idle
 * streams once made every other page get 503.
 */
@Timeout(60)
class EventStreamLimitsTest {
  private static final StatsActions NO_ACTIONS =
      new StatsActions() {
        @Override
        public Future<Void> setSharing(boolean enabled) {
          return Future.failedFuture(new UnsupportedOperationException("not here"));
        }

        @Override
        public Future<Void> trust(String peerId) {
          return Future.failedFuture(new UnsupportedOperationException("not here"));
        }
      };

  private static final SharingView NO_SHARING =
      new SharingView(false, 10, 100, "00:00-00:00", null, null, 2, null, null, null);

  private final Vertx vertx = Vertx.vertx();
  private final List<Follower> followers = new ArrayList<>();
  @TempDir Path state;
  private StatsServer server;

  @BeforeEach
  void start() {
    BamqpConfig config =
        ConfigLoader.parse("stats:\n  listen: 127.0.0.1:0\nstate:\n  dir: '" + state + "'\n");
    server =
        Await.result(
            StatsServer.start(
                vertx,
                ConfigMapping.stats(config),
                new DownloadBoard(new BufferBudget(32 << 20, 4 << 20)),
                new StatsSources(List::of, () -> NO_SHARING, NO_ACTIONS)));
  }

  @AfterEach
  void stop() throws IOException {
    for (Follower follower : followers) {
      follower.socket.close();
    }
    Await.result(server.close());
    Await.result(vertx.close());
  }

  /** One page following {@code /api/events} from a loopback source address, over a raw socket. */
  private final class Follower {
    final Socket socket;
    final InputStream in;
    final ByteArrayOutputStream seen = new ByteArrayOutputStream();

    Follower(String source) throws IOException {
      socket = new Socket();
      socket.bind(new InetSocketAddress(source, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
      socket.setSoTimeout(10_000);
      in = socket.getInputStream();
      socket
          .getOutputStream()
          .write(
              ("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      followers.add(this);
      readUntil("event: update");
    }

    /**
     * Reads until {@code text} arrives; fails once {@link Await#DEFAULT_DEADLINE} has passed (a
     * stream that keeps sending updates never times a read out).
     */
    void readUntil(String text) throws IOException {
      int from = seen.size();
      long deadline = System.nanoTime() + Await.DEFAULT_DEADLINE.toNanos();
      while (!seen.toString(StandardCharsets.ISO_8859_1).substring(from).contains(text)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no '" + text + "' within " + Await.DEFAULT_DEADLINE);
        }
        int b = in.read();
        if (b < 0) {
          throw new IOException("closed before '" + text + "': " + seen);
        }
        seen.write(b);
      }
    }

    /** Waits for the server to end this stream: the chunked body's last chunk. */
    String awaitEnded() throws IOException {
      readUntil("\r\n0\r\n\r\n");
      return seen.toString(StandardCharsets.ISO_8859_1);
    }

    /** Proves the stream is still followed: another update arrives. */
    void awaitUpdate() throws IOException {
      readUntil("event: update");
    }
  }

  @Test
  void aFullPageEndsTheOldestStreamForANewOne() throws Exception {
    List<Follower> first = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      first.add(new Follower("127.0.0." + (10 + i / 4)));
    }

    Follower newcomer = new Follower("127.0.0.20");

    assertThat(first.get(0).awaitEnded()).contains("retry: 30000");
    newcomer.awaitUpdate();
    first.get(1).awaitUpdate();
    first.get(15).awaitUpdate();
  }

  @Test
  void oneAddressHoldsFourStreamsAndItsFifthEndsItsOwnOldest() throws Exception {
    Follower other = new Follower("127.0.0.30");
    List<Follower> mine = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      mine.add(new Follower("127.0.0.31"));
    }

    Follower fifth = new Follower("127.0.0.31");

    mine.get(0).awaitEnded();
    fifth.awaitUpdate();
    other.awaitUpdate();
    mine.get(1).awaitUpdate();
  }
}
