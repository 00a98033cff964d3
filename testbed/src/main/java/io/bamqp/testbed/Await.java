package io.bamqp.testbed;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocks a test thread on a Vert.x {@link Future}, with a deadline: the one way tests of every
 * module wait for an asynchronous result.
 *
 * <pre>{@code
 * TestOrigin origin = Await.result(TestOrigin.builder().build().start(vertx));
 * Throwable refused = Await.failure(link.fetch(job, range));
 * }</pre>
 *
 * <p>Every method fails with an {@link AssertionError} (unchecked, so a test needs no {@code
 * throws}) when the deadline passes or the future ends the other way than expected; the error names
 * the deadline and carries the future's failure as its cause. An interrupted wait keeps the
 * thread's interrupt flag. Never call these on an event loop: the loop would wait for itself, so
 * they refuse with an {@link IllegalStateException}.
 */
public final class Await {

  /**
   * The deadline of {@link #result(Future)} and {@link #failure(Future)}: 30 s, long enough for a
   * loaded 2-core build machine and shorter than a test's own time limit (60 s by default), so a
   * hung future fails with this message rather than a bare timeout.
   */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

  private Await() {}

  /** The value of {@code future}, which must succeed within {@link #DEFAULT_DEADLINE}. */
  public static <T> T result(Future<T> future) {
    return result(future, DEFAULT_DEADLINE);
  }

  /** The value of {@code future}, which must succeed within {@code deadline}. */
  public static <T> T result(Future<T> future, Duration deadline) {
    refuseOnEventLoop();
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("awaited future failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("awaited future did not complete within " + deadline, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while awaiting a future", e);
    }
  }

  /** The failure of {@code future}, which must fail within {@link #DEFAULT_DEADLINE}. */
  public static Throwable failure(Future<?> future) {
    return failure(future, DEFAULT_DEADLINE);
  }

  /** The failure of {@code future}, which must fail within {@code deadline}. */
  public static Throwable failure(Future<?> future, Duration deadline) {
    refuseOnEventLoop();
    Object value;
    try {
      value =
          future
              .toCompletionStage()
              .toCompletableFuture()
              .get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("awaited future did not fail within " + deadline, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while awaiting a future", e);
    }
    throw new AssertionError("expected the future to fail, it succeeded with " + value);
  }

  private static void refuseOnEventLoop() {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException(
          "Await blocks: call it from a test thread, not an event loop");
    }
  }
}
