package io.bamqp.peer.internal;

import io.netty.buffer.Unpooled;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;

/**
 * Gathers a stream's small buffers into writes of up to {@link #WRITE_BYTES} before handing them
 * on. An origin on a real line delivers a packet or two per read; relayed one by one, each would
 * cost the helper a TLS record, a write and the home a read. A buffer waits at most {@link
 * #MAX_DELAY_MILLIS} for others to join it, and the end of the stream hands on what is held first.
 * A large buffer is never copied: what is held (a chunk's signature and the next chunk's header, in
 * a range) goes out in front of it as one write that refers to both. Pause and resume are the
 * source's and are honoured: nothing is handed on while paused. A failure drops what is held (the
 * stream is over). Confined to one event loop.
 */
final class Coalescing implements ReadStream<Buffer> {
  /** What a write gathers small buffers up to: one TLS record's plaintext on a peer link. */
  static final int WRITE_BYTES = PeerTlsOptions.RECORD_PLAINTEXT_BYTES;

  /** The longest a byte is held waiting for more. */
  static final long MAX_DELAY_MILLIS = 5;

  private final Vertx vertx;
  private final ReadStream<Buffer> source;

  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Buffer held;
  private boolean paused;
  private boolean ended;
  private long timer = -1;

  Coalescing(Vertx vertx, ReadStream<Buffer> source) {
    this.vertx = vertx;
    this.source = source;
  }

  @Override
  public Coalescing handler(Handler<Buffer> handler) {
    this.handler = handler;
    source.handler(handler == null ? null : this::onData);
    return this;
  }

  @Override
  public Coalescing exceptionHandler(Handler<Throwable> handler) {
    source.exceptionHandler(
        handler == null
            ? null
            : failure -> {
              cancelTimer();
              held = null;
              handler.handle(failure);
            });
    return this;
  }

  @Override
  public Coalescing endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    source.endHandler(
        handler == null
            ? null
            : v -> {
              ended = true;
              flushAndMaybeEnd();
            });
    return this;
  }

  @Override
  public Coalescing pause() {
    paused = true;
    source.pause();
    return this;
  }

  @Override
  public Coalescing resume() {
    paused = false;
    flushAndMaybeEnd();
    if (!paused && !ended) {
      source.resume();
    }
    return this;
  }

  @Override
  public Coalescing fetch(long amount) {
    return amount > 0 ? resume() : this;
  }

  private void onData(Buffer data) {
    if (data.length() >= WRITE_BYTES && !paused) {
      Buffer out = held == null ? data : joined(held, data);
      cancelTimer();
      held = null;
      handler.handle(out);
      return;
    }
    if (held == null) {
      held = Buffer.buffer(Math.max(WRITE_BYTES, data.length()));
    }
    held.appendBuffer(data); // a buffer in flight as the source paused waits for the resume
    if (held.length() >= WRITE_BYTES && !paused) {
      flush();
    } else if (timer == -1 && !paused) {
      timer = vertx.setTimer(MAX_DELAY_MILLIS, id -> onTimer());
    }
  }

  private void onTimer() {
    timer = -1;
    if (!paused) {
      flush();
    }
  }

  private void flushAndMaybeEnd() {
    if (paused) {
      return;
    }
    flush();
    if (ended && !paused && endHandler != null) {
      Handler<Void> end = endHandler;
      endHandler = null;
      end.handle(null);
    }
  }

  private void flush() {
    cancelTimer();
    Buffer out = held;
    held = null;
    if (out != null && out.length() > 0 && handler != null) {
      handler.handle(out);
    }
  }

  /** {@code head} then {@code tail}, as one buffer over both (no byte copied). */
  private static Buffer joined(Buffer head, Buffer tail) {
    return BufferInternal.buffer(
        Unpooled.wrappedBuffer(
            ((BufferInternal) head).getByteBuf(), ((BufferInternal) tail).getByteBuf()));
  }

  private void cancelTimer() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
