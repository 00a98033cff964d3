package io.bamqp.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bamqp.testbed.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ReadBatching} on real sockets: with the native transport the kernel's low-water mark
 * follows the body (a batch, then what is left, then 1), a body whose tail is shorter than a batch
 * still arrives whole, the next response on the same connection is not held back, a batch that
 * arrives quickly is read whole, and one that fills slowly does not keep its first bytes waiting
 * for it; on Java NIO it does nothing.
 */
class ReadBatchingTest {
  private static final int PIECE = 1000;
  private static final int BODY = 240 * PIECE + 123; // a batch, then a tail shorter than one
  private static final byte[] CONTENT = new byte[BODY];

  static {
    new Random(7).nextBytes(CONTENT);
  }

  private Vertx vertx;
  // The client's bytes so far, and what it had when the server sent the body's middle (/trickle).
  private final AtomicInteger received = new AtomicInteger();
  private final AtomicInteger receivedWhenHalfSent = new AtomicInteger(-1);
  // A field, not a local: Vert.x may close a client once nothing references it.
  private HttpClient client;

  @AfterEach
  void close() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  @Test
  void onEpollTheMarkFollowsTheBodyAndTheConnectionCarriesTheNextResponse() {
    vertx = ReadBatching.vertx(new VertxOptions().setPreferNativeTransport(true));
    assumeTrue(vertx.isNativeTransportEnabled(), "the native epoll transport is not available");
    client = client(start());

    Reading first = Await.result(read(client, "/dribble"));
    assertThat(first.body.getBytes()).isEqualTo(CONTENT);
    assertThat(first.active).as("epoll batches").isTrue();
    assertThat(first.marks)
        .as("a batch, then what is left of the body")
        .startsWith(ReadBatching.BATCH_BYTES)
        .endsWith(1)
        .isSortedAccordingTo(Comparator.reverseOrder());
    assertThat(first.kernelMarkAtStart)
        .as("the socket's own SO_RCVLOWAT")
        .isEqualTo(ReadBatching.BATCH_BYTES);
    assertThat(first.kernelMarkAfter).as("back to 1 after the body").isEqualTo(1);

    // Same connection (a pool of one): a 10-byte answer must not wait for a batch.
    Reading second = Await.result(read(client, "/small"));
    assertThat(second.body.toString()).isEqualTo("ten bytes!");
    assertThat(second.connection).isSameAs(first.connection);
  }

  @Test
  void onEpollABatchSentAtOnceIsReadInPiecesLargerThanNettysDefaultBuffer() {
    vertx = ReadBatching.vertx(new VertxOptions().setPreferNativeTransport(true));
    assumeTrue(vertx.isNativeTransportEnabled(), "the native epoll transport is not available");
    client = client(start());

    Reading reading = Await.result(read(client, "/whole"));

    assertThat(reading.body.getBytes()).isEqualTo(CONTENT);
    assertThat(reading.pieces)
        .as("reads, each decoded as one piece, beyond Netty's default 64 KiB read buffer")
        .anySatisfy(piece -> assertThat(piece).isGreaterThan(64 * 1024));
  }

  @Test
  void onEpollBytesThatFillABatchSlowlyAreReadBeforeItIsFull() {
    vertx = ReadBatching.vertx(new VertxOptions().setPreferNativeTransport(true));
    assumeTrue(vertx.isNativeTransportEnabled(), "the native epoll transport is not available");
    client = client(start());

    // 1000 bytes every 2 ms: a batch would take ~460 ms, the watchdog lets the reader in after 50.
    Reading reading = Await.result(read(client, "/trickle"));

    assertThat(reading.body.getBytes()).isEqualTo(CONTENT);
    assertThat(receivedWhenHalfSent.get())
        .as("bytes read by the time half the body was sent (the mark alone: the head's 1000)")
        .isGreaterThan(BODY / 4);
    List<Integer> afterReads = reading.marks.subList(1, reading.marks.size());
    assertThat(reading.kernelMarks)
        .as("after every read the socket's mark is what the body still owes, not the watchdog's 1")
        .isEqualTo(afterReads);
    assertThat(afterReads.subList(0, afterReads.size() - 1)).allMatch(mark -> mark > 1);
    assertThat(reading.kernelMarkAfter).isEqualTo(1);
  }

  @Test
  void onNioItDoesNothingAndTheBodyArrivesWhole() {
    vertx = Vertx.vertx();
    client = client(start());

    Reading reading = Await.result(read(client, "/dribble"));

    assertThat(reading.active).isFalse();
    assertThat(reading.body.getBytes()).isEqualTo(CONTENT);
  }

  /** What one response looked like from the reader's side. */
  private static final class Reading {
    final Buffer body = Buffer.buffer();
    final List<Integer> marks = new ArrayList<>();
    final List<Integer> pieces = new ArrayList<>();
    final List<Integer> kernelMarks = new ArrayList<>(); // the socket's own, after each read
    boolean active;
    Object connection;
    int kernelMarkAtStart;
    int kernelMarkAfter;
  }

  private int start() {
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  HttpServerResponse response = request.response();
                  if (request.path().equals("/small")) {
                    response.end("ten bytes!");
                    return;
                  }
                  response.putHeader("Content-Length", Integer.toString(BODY));
                  switch (request.path()) {
                    case "/whole" -> // the head first, so that the body meets the batch's mark
                        response
                            .writeHead()
                            .onSuccess(
                                v ->
                                    vertx.setTimer(20, id -> response.end(Buffer.buffer(CONTENT))));
                    case "/trickle" -> dribble(response, 0, 2);
                    default -> dribble(response, 0, 1);
                  }
                });
    return Await.result(server.listen(0, "127.0.0.1")).actualPort();
  }

  /** The body in pieces of 1000 bytes, one every {@code millis}: packets, as a line sends them. */
  private void dribble(HttpServerResponse response, int at, long millis) {
    int end = Math.min(BODY, at + PIECE);
    if (at < BODY / 2 && end >= BODY / 2) {
      receivedWhenHalfSent.set(received.get());
    }
    response.write(Buffer.buffer().appendBytes(CONTENT, at, end - at));
    if (end == BODY) {
      response.end();
    } else {
      vertx.setTimer(millis, id -> dribble(response, end, millis));
    }
  }

  private HttpClient client(int port) {
    return vertx.createHttpClient(
        new HttpClientOptions()
            .setDefaultHost("127.0.0.1")
            .setDefaultPort(port)
            .setKeepAlive(true)
            .setMaxChunkSize(ReadBatching.DECODED_CHUNK_BYTES),
        new PoolOptions().setHttp1MaxSize(1));
  }

  /**
   * One exchange, begun on an event loop: from the test's own thread a short response can end
   * before the callback that sets the body's handlers is attached, and its end is then never seen.
   */
  private Future<Reading> read(HttpClient client, String path) {
    Promise<Reading> done = Promise.promise();
    vertx.runOnContext(v -> exchange(client, path, done));
    return done.future();
  }

  private void exchange(HttpClient client, String path, Promise<Reading> done) {
    Reading reading = new Reading();
    client
        .request(HttpMethod.GET, path)
        .compose(request -> request.send())
        .onFailure(done::fail)
        .onSuccess(
            response -> {
              ReadBatching batching = ReadBatching.of(response);
              long length = Long.parseLong(response.getHeader("Content-Length"));
              reading.active = batching.active();
              reading.connection = response.request().connection();
              batching.remaining(length);
              reading.marks.add(batching.mark());
              reading.kernelMarkAtStart = kernelMark(reading.connection);
              response.handler(
                  data -> {
                    reading.body.appendBuffer(data);
                    reading.pieces.add(data.length());
                    received.addAndGet(data.length());
                    batching.remaining(length - reading.body.length());
                    reading.marks.add(batching.mark());
                    reading.kernelMarks.add(kernelMark(reading.connection));
                  });
              response.exceptionHandler(done::tryFail);
              response.endHandler(
                  v -> {
                    batching.done();
                    reading.kernelMarkAfter = kernelMark(reading.connection);
                    done.tryComplete(reading);
                  });
            });
  }

  private static int kernelMark(Object connection) {
    if (connection instanceof ConnectionBase base && base.channel().config() != null) {
      Integer mark = base.channel().config().getOption(ReadBatching.SO_RCVLOWAT);
      return mark == null ? -1 : mark;
    }
    return -1;
  }
}
