package io.bamqp.proxy.forward.internal;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * A {@link WriteStream} that counts the bytes it passes on; back-pressure, end and failures are the
 * wrapped stream's own. A tunnel's relay has no other byte count ({@code NetSocket} keeps none).
 *
 * <p>Written and read on the stream's event loop only.
 */
final class ByteTally implements WriteStream<Buffer> {
  private final WriteStream<Buffer> out;
  private long bytes;

  ByteTally(WriteStream<Buffer> out) {
    this.out = out;
  }

  /** The bytes passed on so far. */
  long bytes() {
    return bytes;
  }

  @Override
  public Future<Void> write(Buffer data) {
    bytes += data.length();
    return out.write(data);
  }

  @Override
  public Future<Void> end() {
    return out.end();
  }

  @Override
  public Future<Void> end(Buffer data) {
    bytes += data.length();
    return out.end(data);
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    out.exceptionHandler(handler);
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    out.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return out.writeQueueFull();
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    out.drainHandler(handler);
    return this;
  }
}
