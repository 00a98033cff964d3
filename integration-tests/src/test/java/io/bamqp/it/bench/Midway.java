package io.bamqp.it.bench;

/**
 * Runs an action once the origin has sent half of a download's bytes (all lines together), polled
 * from a thread of its own while the client downloads. Not a wait with a deadline but a trigger
 * that is part of the measurement: it polls every 5 ms so the action lands close to half-way, and
 * the benchmark's own deadlines bound it ({@link #close()} stops it).
 */
final class Midway implements AutoCloseable {
  private static final long POLL_MILLIS = 5;

  /** What to do half-way. */
  interface Action {
    void run() throws Exception;
  }

  private final Thread thread;
  private volatile long bytesAtEvent = -1;
  private volatile Exception failure;

  private Midway(BenchRig rig, long fileBytes, Action action) {
    long start = rig.totalBytesSent();
    thread =
        new Thread(
            () -> {
              try {
                while (rig.totalBytesSent() - start < fileBytes / 2) {
                  Thread.sleep(POLL_MILLIS);
                }
                bytesAtEvent = Math.min(fileBytes, rig.totalBytesSent() - start);
                action.run();
              } catch (InterruptedException over) {
                Thread.currentThread().interrupt();
              } catch (Exception e) {
                failure = e;
              }
            },
            "bench-midway");
    thread.setDaemon(true);
    thread.start();
  }

  static Midway arm(BenchRig rig, long fileBytes, Action action) {
    return new Midway(rig, fileBytes, action);
  }

  /** Bytes the origin had sent for this download when the action ran; -1 if it never ran. */
  long bytesAtEvent() {
    return bytesAtEvent;
  }

  @Override
  public void close() throws Exception {
    thread.interrupt();
    thread.join();
    if (failure != null) {
      throw failure;
    }
  }
}
