package io.bamqp.peer.internal;

import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.peer.RangeStream;
import io.bamqp.planner.ByteRange;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.util.ArrayDeque;

/**
 * A helper's range body as home reads it: bytes pass through a {@link RangeDecoder} (which, on a
 * link with identities, holds each chunk until verified) and only what it releases reaches the
 * reader. The helper is read only while the reader wants data and nothing released waits, so at
 * most one chunk plus one network read is held. Every outcome (end, failure) is reported once; a
 * failure that comes before an exception handler is kept and reported as soon as one is set. The
 * response stays paused until a handler is set. Confined to the link's context.
 */
final class RangeStreamImpl implements RangeStream {
  private final Vertx vertx;
  private final HttpClientResponse response;
  private final ByteRange range;
  private final RangeDecoder decoder;
  private final long chunkTimeoutMillis;
  private final ArrayDeque<Buffer> released = new ArrayDeque<>();

  private Handler<Buffer> handler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private long demand = Long.MAX_VALUE;
  private boolean upstreamEnded;
  private boolean flowing;
  private boolean done;
  private Throwable unreported;
  private long chunkTimer = -1;
  private volatile long received;

  /**
   * @param chunkTimeoutMillis longest wait for the decoder to release something while the helper is
   *     read; 0: none (the HTTP idle timeout still applies)
   */
  RangeStreamImpl(
      Vertx vertx,
      HttpClientResponse response,
      ByteRange range,
      RangeDecoder decoder,
      long chunkTimeoutMillis) {
    this.vertx = vertx;
    this.response = response;
    this.range = range;
    this.decoder = decoder;
    this.chunkTimeoutMillis = chunkTimeoutMillis;
    response.pause();
    response.handler(this::onBytes);
    response.exceptionHandler(this::fail);
    response.endHandler(v -> onUpstreamEnd());
  }

  @Override
  public ByteRange range() {
    return range;
  }

  @Override
  public long received() {
    return received;
  }

  @Override
  public void cancel() {
    if (!done) {
      finish();
      response.request().reset();
    }
  }

  @Override
  public RangeStream handler(Handler<Buffer> handler) {
    this.handler = handler;
    deliver();
    return this;
  }

  @Override
  public RangeStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    Throwable pending = unreported;
    if (handler != null && pending != null) {
      unreported = null;
      handler.handle(pending);
    }
    return this;
  }

  @Override
  public RangeStream endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    return this;
  }

  @Override
  public RangeStream pause() {
    demand = 0;
    updateFlow();
    return this;
  }

  @Override
  public RangeStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public RangeStream fetch(long amount) {
    if (amount > 0) {
      demand = demand > Long.MAX_VALUE - amount ? Long.MAX_VALUE : demand + amount;
      deliver();
    }
    return this;
  }

  private void onBytes(Buffer bytes) {
    if (done) {
      return;
    }
    try {
      decoder.decode(bytes, released::add);
    } catch (PeerException e) {
      fail(e);
      response.request().reset();
      return;
    }
    deliver();
  }

  private void onUpstreamEnd() {
    if (done) {
      return;
    }
    try {
      decoder.end();
    } catch (PeerException e) {
      fail(e);
      return;
    }
    upstreamEnded = true;
    deliver();
  }

  /** Hands released buffers to the reader as demand allows, then decides whether to read more. */
  private void deliver() {
    while (!done && handler != null && demand > 0 && !released.isEmpty()) {
      Buffer next = released.poll();
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      received += next.length();
      restartChunkTimer();
      handler.handle(next);
    }
    if (!done && upstreamEnded && released.isEmpty()) {
      finish();
      if (endHandler != null) {
        endHandler.handle(null);
      }
      return;
    }
    updateFlow();
  }

  private void updateFlow() {
    boolean wanted = !done && !upstreamEnded && handler != null && demand > 0 && released.isEmpty();
    if (wanted == flowing) {
      return;
    }
    flowing = wanted;
    if (wanted) {
      response.resume();
      restartChunkTimer();
    } else {
      response.pause();
      cancelChunkTimer();
    }
  }

  private void restartChunkTimer() {
    cancelChunkTimer();
    if (chunkTimeoutMillis > 0 && !done) {
      chunkTimer = vertx.setTimer(chunkTimeoutMillis, id -> onChunkTimeout());
    }
  }

  private void cancelChunkTimer() {
    if (chunkTimer != -1) {
      vertx.cancelTimer(chunkTimer);
      chunkTimer = -1;
    }
  }

  private void onChunkTimeout() {
    chunkTimer = -1;
    if (!done && flowing) {
      fail(
          new PeerException(
              PeerErrorCode.BAD_CHUNK,
              "no whole chunk within " + chunkTimeoutMillis + " ms (" + decoder.progress() + ")"));
      response.request().reset();
    }
  }

  private void finish() {
    done = true;
    flowing = false;
    released.clear();
    cancelChunkTimer();
    decoder.close();
  }

  private void fail(Throwable cause) {
    if (!done) {
      finish();
      if (exceptionHandler != null) {
        exceptionHandler.handle(cause);
      } else {
        unreported = cause;
      }
    }
  }
}
