package io.bamqp.proxy.aggregation;

import io.bamqp.peer.RangeStream;
import io.bamqp.peer.ReadBatching;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.streams.ReadStream;

/** A body stream as a {@link Flow}: cancelling silences its handlers and stops the transfer. */
final class StreamFlow implements Flow {
  private final ReadStream<Buffer> stream;
  private final Runnable stop;
  private final ReadBatching batching;
  private long owed;
  private boolean cancelled;

  private StreamFlow(ReadStream<Buffer> stream, Runnable stop, ReadBatching batching, long owed) {
    this.stream = stream;
    this.stop = stop;
    this.batching = batching;
    this.owed = owed;
    batching.remaining(owed);
  }

  /** An origin response; cancelling resets its request and so its connection. */
  static Flow of(HttpClientResponse response) {
    return new StreamFlow(response, () -> response.request().reset(), ReadBatching.off(), 0);
  }

  /**
   * An origin response whose body is {@code bodyBytes} long, read in batches rather than packets
   * ({@link ReadBatching}); cancelling resets its request and so its connection.
   */
  static Flow of(HttpClientResponse response, long bodyBytes) {
    return new StreamFlow(
        response, () -> response.request().reset(), ReadBatching.of(response), bodyBytes);
  }

  /** A neighbor's range; cancelling resets the fetch, and the neighbor stops its origin fetch. */
  static Flow of(RangeStream range) {
    return new StreamFlow(range, range::cancel, ReadBatching.off(), 0);
  }

  @Override
  public void cancel() {
    if (!cancelled) {
      cancelled = true;
      stream.handler(null).endHandler(null);
      try {
        // The reset below fails the stream: nothing left to hear.
        stream.exceptionHandler(ignored -> {});
      } catch (IllegalStateException ended) {
        // A response refuses handlers once its body has all arrived (only its delivery was still
        // pending, paused): nothing can fail it any more. Thrown on, it left the caller (a session
        // stopping a caught neighbor) half done.
      }
      batching.done();
      stop.run();
    }
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    stream.exceptionHandler(
        handler == null
            ? null
            : failure -> {
              batching.done();
              handler.handle(failure);
            });
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    stream.handler(
        handler == null
            ? null
            : data -> {
              owed -= data.length();
              batching.remaining(owed);
              handler.handle(data);
            });
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    stream.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    stream.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    stream.fetch(amount);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    stream.endHandler(
        endHandler == null
            ? null
            : end -> {
              batching.done();
              endHandler.handle(end);
            });
    return this;
  }
}
