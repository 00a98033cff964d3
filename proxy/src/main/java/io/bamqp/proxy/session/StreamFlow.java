package io.bamqp.proxy.session;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.streams.ReadStream;

/** An origin response body as a {@link Flow}: cancelling resets the request and its connection. */
final class ResponseFlow implements Flow {
  private final HttpClientResponse response;
  private boolean cancelled;

  ResponseFlow(HttpClientResponse response) {
    this.response = response;
  }

  @Override
  public void cancel() {
    if (!cancelled) {
      cancelled = true;
      response.handler(null).endHandler(null).exceptionHandler(ignored -> {});
      response.request().reset();
    }
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    response.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    response.handler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    response.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    response.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    response.fetch(amount);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    response.endHandler(endHandler);
    return this;
  }
}
