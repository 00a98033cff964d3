package io.bamqp.peer.internal;

import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.peer.RangeStream;
import io.bamqp.planner.ByteRange;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * A helper's range body, held to exactly the range's length: an end before the last byte is
 * reported as a failure, and every outcome (end, failure) once. The response stays paused until a
 * handler is set, so no byte is dropped before the reader is ready; a failure that comes before an
 * exception handler is kept and reported as soon as one is set.
 */
final class RangeStreamImpl implements RangeStream {
  private final HttpClientResponse response;
  private final ByteRange range;
  private Handler<Buffer> handler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private boolean readerPaused;
  private boolean done;
  private Throwable unreported;
  private volatile long received;

  RangeStreamImpl(HttpClientResponse response, ByteRange range) {
    this.response = response;
    this.range = range;
    response.pause();
    response.exceptionHandler(this::fail);
    response.endHandler(v -> onEnd());
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
      done = true;
      response.request().reset();
    }
  }

  @Override
  public RangeStream handler(Handler<Buffer> handler) {
    this.handler = handler;
    if (handler == null) {
      response.handler(null);
      response.pause();
    } else {
      response.handler(this::onData);
      if (!readerPaused) {
        response.resume();
      }
    }
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
    readerPaused = true;
    response.pause();
    return this;
  }

  @Override
  public RangeStream resume() {
    readerPaused = false;
    if (handler != null) {
      response.resume();
    }
    return this;
  }

  @Override
  public RangeStream fetch(long amount) {
    if (handler != null) {
      response.fetch(amount);
    }
    return this;
  }

  private void onData(Buffer chunk) {
    if (done) {
      return;
    }
    received += chunk.length();
    if (received > range.length()) {
      fail(new PeerException(PeerErrorCode.BAD_ANSWER, "the helper sent more than the range"));
      response.request().reset();
      return;
    }
    handler.handle(chunk);
  }

  private void onEnd() {
    if (received != range.length()) {
      fail(
          new PeerException(
              PeerErrorCode.BAD_ANSWER,
              "the range ended after " + received + " of " + range.length() + " bytes"));
      return;
    }
    if (!done) {
      done = true;
      if (endHandler != null) {
        endHandler.handle(null);
      }
    }
  }

  private void fail(Throwable cause) {
    if (!done) {
      done = true;
      if (exceptionHandler != null) {
        exceptionHandler.handle(cause);
      } else {
        unreported = cause;
      }
    }
  }
}
