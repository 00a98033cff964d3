package io.bamqp.security;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one try of a property-based test on a watched thread and fails it when it does not finish
 * within {@link #DEADLINE}: a hang detector (a backtracking regex, a decoder loop that makes no
 * progress), not a speed test. Jupiter's {@code assertTimeoutPreemptively} starts a thread per call
 * (about a millisecond: too slow for thousands of tries), so one worker thread is reused until a
 * try hangs; {@link Fuzz#check} runs every try here. The failure carries the hung thread's stack.
 * Shared with the fuzz tests of peer-protocol and proxy through the test-jar.
 */
public final class HangDetector {
  /** How long one try may take; a parse or a decode takes microseconds. */
  public static final Duration DEADLINE = Duration.ofSeconds(10);

  private static Thread current;
  private static ExecutorService worker = newWorker();

  private HangDetector() {}

  /**
   * What {@code work} returns, or what it throws, as if called directly.
   *
   * @throws AssertionError when it runs past {@link #DEADLINE}
   */
  public static synchronized <T> T call(Callable<T> work) throws Exception {
    Future<T> result = worker.submit(work);
    try {
      return result.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception exception) {
        throw exception;
      }
      throw (Error) e.getCause();
    } catch (TimeoutException e) {
      AssertionError hang =
          new AssertionError("a try ran past " + DEADLINE.toSeconds() + " s: a hang");
      hang.setStackTrace(current.getStackTrace());
      worker.shutdownNow();
      worker = newWorker();
      throw hang;
    }
  }

  /** As {@link #call}, for work that returns nothing. */
  public static void run(Work work) throws Exception {
    call(
        () -> {
          work.run();
          return null;
        });
  }

  /** A try's body: may throw anything. */
  @FunctionalInterface
  public interface Work {
    void run() throws Exception;
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(
        work -> {
          Thread thread = new Thread(work, "hang-detector");
          thread.setDaemon(true);
          current = thread;
          return thread;
        });
  }
}
