package io.bamqp.proxy.sharing;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * A {@link WriteStream} that tells {@link OwnTraffic} the size of every buffer it passes on to the
 * client's stream; back-pressure, end and failures are the wrapped stream's own.
 */
final class CountingWriteStream implements WriteStream<Buffer> {
  private final WriteStream<Buffer> client;
  private final OwnTraffic meter;

  CountingWriteStream(WriteStream<Buffer> client, OwnTraffic meter) {
    this.client = client;
    this.meter = meter;
  }

  @Override
  public Future<Void> write(Buffer data) {
    meter.add(data.length());
    return client.write(data);
  }

  @Override
  public Future<Void> end() {
    return client.end();
  }

  @Override
  public Future<Void> end(Buffer data) {
    meter.add(data.length());
    return client.end(data);
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    client.exceptionHandler(handler);
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    client.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return client.writeQueueFull();
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    client.drainHandler(handler);
    return this;
  }
}
