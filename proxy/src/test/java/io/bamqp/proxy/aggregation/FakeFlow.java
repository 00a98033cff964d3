package io.bamqp.proxy.aggregation;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * A {@link Flow} the test drives by hand: it keeps the handlers it is given, delivers {@code bytes}
 * and ends when {@link #answer()} is called (or at the first {@link #resume()} when built with
 * {@link #answeringOnResume}), and counts cancels. Runs on the test's thread: nothing is async.
 */
final class FakeFlow implements Flow {
  private final Buffer bytes;
  private final boolean answerOnResume;
  private Handler<Buffer> handler;
  private Handler<Void> end;
  int cancels;

  private FakeFlow(Buffer bytes, boolean answerOnResume) {
    this.bytes = bytes;
    this.answerOnResume = answerOnResume;
  }

  /** A flow of {@code bytes} that waits for {@link #answer()}. */
  static FakeFlow of(Buffer bytes) {
    return new FakeFlow(bytes, false);
  }

  /** A flow of {@code bytes} that delivers them as soon as it is resumed. */
  static FakeFlow answeringOnResume(Buffer bytes) {
    return new FakeFlow(bytes, true);
  }

  /** A flow that never delivers anything. */
  static FakeFlow silent() {
    return new FakeFlow(Buffer.buffer(), false);
  }

  /** Delivers the bytes, then ends. */
  void answer() {
    handler.handle(bytes);
    end.handle(null);
  }

  @Override
  public void cancel() {
    cancels++;
  }

  @Override
  public Flow exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public Flow handler(Handler<Buffer> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public Flow pause() {
    return this;
  }

  @Override
  public Flow resume() {
    if (answerOnResume) {
      answer();
    }
    return this;
  }

  @Override
  public Flow fetch(long amount) {
    return this;
  }

  @Override
  public Flow endHandler(Handler<Void> endHandler) {
    this.end = endHandler;
    return this;
  }
}
