package io.bamqp.peer.internal;

import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.peer.ReadBatching;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/**
 * An origin's range body as the helper relays it: throttled by the shared {@link RateBucket},
 * watched for stalls, and held to exactly the range's length.
 *
 * <p>The origin is read only while the reader wants data and the bucket is not in debt; a bucket
 * wait pauses the origin and resumes it on a timer. While it flows, a silence longer than the stall
 * timeout fails the stream with {@code ORIGIN_TIMEOUT} (a pause the home asked for is not the
 * origin's silence). An end before the last byte, or a byte past it, fails the stream instead of
 * ending it. Before each chunk is handed on, {@code limit} is asked whether that many more bytes
 * may go (the owner's caps and off-peak window hold inside a range, not only at its start): a
 * reason fails the stream with {@code DECLINED}, so no byte past a cap leaves. {@code relayed}
 * hears the size of every chunk handed on. The socket wakes the helper per batch of bytes, not per
 * packet ({@link ReadBatching}), so a silence is counted from the last batch read. Every outcome is
 * reported once. Confined to the helper's event loop.
 */
final class OriginBody implements ReadStream<Buffer> {
  private final Vertx vertx;
  private final ReadStream<Buffer> source;
  private final RateBucket bucket;
  private final long expectedBytes;
  private final long stallMillis;
  private final LongFunction<String> limit;
  private final LongConsumer relayed;
  private final ReadBatching batching;

  private Handler<Buffer> handler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private long received;
  private boolean readerPaused;
  private boolean bucketPaused;
  private boolean finished;
  private boolean flowing; // the origin is read (it starts paused)
  private long heardNanos; // the last byte, or the flow starting again; silence counts from here
  private long bucketTimer = -1;
  private long stallTimer = -1; // one watchdog, re-armed when it fires early: no timer per read

  OriginBody(
      Vertx vertx,
      ReadStream<Buffer> source,
      RateBucket bucket,
      long expectedBytes,
      long stallMillis,
      LongFunction<String> limit,
      LongConsumer relayed,
      ReadBatching batching) {
    this.vertx = vertx;
    this.source = source;
    this.bucket = bucket;
    this.expectedBytes = expectedBytes;
    this.stallMillis = stallMillis;
    this.limit = limit;
    this.relayed = relayed;
    this.batching = batching;
    batching.remaining(expectedBytes);
    source.pause();
    source.handler(this::onData);
    source.exceptionHandler(this::fail);
    source.endHandler(v -> onEnd());
  }

  /** Bytes read from the origin so far. */
  long received() {
    return received;
  }

  @Override
  public OriginBody handler(Handler<Buffer> handler) {
    this.handler = handler;
    update();
    return this;
  }

  @Override
  public OriginBody exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public OriginBody endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    return this;
  }

  @Override
  public OriginBody pause() {
    readerPaused = true;
    update();
    return this;
  }

  @Override
  public OriginBody resume() {
    readerPaused = false;
    update();
    return this;
  }

  /** Demand is not counted: any demand resumes the flow, like {@link #resume()}. */
  @Override
  public OriginBody fetch(long amount) {
    return amount > 0 ? resume() : this;
  }

  private void onData(Buffer chunk) {
    if (finished) {
      return;
    }
    received += chunk.length();
    heardNanos = System.nanoTime();
    batching.remaining(expectedBytes - received);
    if (received > expectedBytes) {
      fail(
          new PeerException(
              PeerErrorCode.BAD_CONTENT_RANGE,
              "the origin sent more than the " + expectedBytes + " bytes of the range"));
      return;
    }
    String declined = limit.apply(chunk.length());
    if (declined != null) {
      fail(
          new PeerException(
              PeerErrorCode.DECLINED,
              declined + " (range stopped after " + (received - chunk.length()) + " bytes)"));
      return;
    }
    if (handler != null) {
      handler.handle(chunk);
      relayed.accept(chunk.length());
    }
    long waitNanos = bucket.take(chunk.length(), System.nanoTime());
    if (waitNanos > 0 && !finished) {
      bucketPaused = true;
      bucketTimer =
          vertx.setTimer(
              Math.max(1, waitNanos / 1_000_000),
              id -> {
                bucketTimer = -1;
                bucketPaused = false;
                update();
              });
    }
    update();
  }

  private void onEnd() {
    if (received != expectedBytes) {
      fail(
          new PeerException(
              PeerErrorCode.ORIGIN_UNREACHABLE,
              "the origin ended after " + received + " of " + expectedBytes + " bytes"));
      return;
    }
    if (finish() && endHandler != null) {
      endHandler.handle(null);
    }
  }

  private void fail(Throwable cause) {
    if (finish() && exceptionHandler != null) {
      exceptionHandler.handle(cause);
    }
  }

  private boolean finish() {
    if (finished) {
      return false;
    }
    finished = true;
    batching.done();
    cancelTimers();
    return true;
  }

  private void update() {
    if (finished) {
      return;
    }
    boolean wanted = handler != null && !readerPaused && !bucketPaused;
    if (wanted == flowing) {
      return;
    }
    flowing = wanted;
    if (flowing) {
      heardNanos = System.nanoTime(); // a pause is not the origin's silence
      armStallTimer(stallMillis);
      source.resume();
    } else {
      if (stallTimer != -1) {
        vertx.cancelTimer(stallTimer);
        stallTimer = -1;
      }
      source.pause();
    }
  }

  private void armStallTimer(long millis) {
    if (stallTimer == -1) {
      stallTimer = vertx.setTimer(Math.max(1, millis), id -> onStallTimer());
    }
  }

  private void onStallTimer() {
    stallTimer = -1;
    if (finished || !flowing) {
      return;
    }
    long silentMillis = (System.nanoTime() - heardNanos) / 1_000_000;
    if (silentMillis < stallMillis) {
      armStallTimer(stallMillis - silentMillis);
      return;
    }
    fail(
        new PeerException(
            PeerErrorCode.ORIGIN_TIMEOUT,
            "no byte from the origin for " + stallMillis + " ms after " + received + " bytes"));
  }

  private void cancelTimers() {
    if (bucketTimer != -1) {
      vertx.cancelTimer(bucketTimer);
      bucketTimer = -1;
    }
    if (stallTimer != -1) {
      vertx.cancelTimer(stallTimer);
      stallTimer = -1;
    }
  }
}
