package io.bamqp.testbed.internal;

import io.bamqp.testbed.Content;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

/**
 * Streams one response body, generated chunk by chunk, never held whole. Writes while the
 * connection's write queue has room and then waits for its drain; on a rate-limited line it also
 * waits for the line's bucket before each chunk, using Vert.x timers. Applies the response's {@link
 * FaultPlan} (reset or stall at an exact byte count). Confined to the origin's event loop.
 */
final class BodySender {

  /** Largest chunk on a rate-limited line: small enough to keep the rate smooth at 1–10 MB/s. */
  static final int SHAPED_CHUNK_SIZE = 16 * 1024;

  /** Smallest chunk on a slow line, so a slow line does not turn into a flood of tiny writes. */
  static final int MIN_SHAPED_CHUNK_SIZE = 1024;

  /** A slow line's chunk is this fraction of a second of its rate, keeping ~64 writes a second. */
  private static final int SHAPED_CHUNKS_PER_SECOND = 64;

  private static final long NANOS_PER_MILLI = 1_000_000L;

  private final Vertx vertx;
  private final HttpServerResponse response;
  private final Content content;
  private final long offset;
  private final long length;
  private final int chunkSize;
  private final LineBucket bucket;
  private final FaultPlan plan;
  private final SourceCounters.Counters counters;
  private final FaultState faults;

  private long sent;
  private boolean stopped;
  private long timerId = -1;

  BodySender(
      Vertx vertx,
      HttpServerResponse response,
      Content content,
      long offset,
      long length,
      int chunkSize,
      LineBucket bucket,
      FaultPlan plan,
      SourceCounters.Counters counters,
      FaultState faults) {
    this.vertx = vertx;
    this.response = response;
    this.content = content;
    this.offset = offset;
    this.length = length;
    this.chunkSize = chunkSize;
    this.bucket = bucket;
    this.plan = plan;
    this.counters = counters;
    this.faults = faults;
  }

  void start() {
    response.closeHandler(v -> stop());
    response.exceptionHandler(e -> stop());
    send();
  }

  private void send() {
    while (!stopped) {
      long remaining = length - sent;
      if (remaining == 0) {
        stopped = true;
        response.end();
        return;
      }
      long room = plan.bytesBeforeFault(sent);
      if (room == 0) {
        fault();
        return;
      }
      if (response.writeQueueFull()) {
        counters.writeQueueFull();
        response.drainHandler(
            v -> {
              response.drainHandler(null);
              send();
            });
        return;
      }
      int n = (int) Math.min(chunkFor(bucket.rate()), Math.min(remaining, room));
      long waitMillis = bucket.reserve(n, System.nanoTime()) / NANOS_PER_MILLI;
      if (waitMillis > 0) {
        // Early by under a millisecond at most; the bucket's absolute clock absorbs it.
        timerId =
            vertx.setTimer(
                waitMillis,
                t -> {
                  timerId = -1;
                  if (!stopped) {
                    write(n);
                    send();
                  }
                });
        return;
      }
      write(n);
    }
  }

  private void write(int n) {
    // Counted before the write: the write may reach the client at once, and a test that reads the
    // counter when its body ends (on another thread) must find the last bytes counted already.
    counters.bytesSent(n);
    response.write(content.slice(offset + sent, n));
    sent += n;
    faults.onBytesServed(n);
  }

  private void fault() {
    stopped = true;
    if (plan.resetAfter() >= 0 && sent >= plan.resetAfter()) {
      response.reset();
    }
    // else: stall, leaving the connection open and the response unfinished.
  }

  private int chunkFor(long rate) {
    if (rate <= 0) {
      return chunkSize;
    }
    long perTick = rate / SHAPED_CHUNKS_PER_SECOND;
    return (int)
        Math.min(chunkSize, Math.max(MIN_SHAPED_CHUNK_SIZE, Math.min(SHAPED_CHUNK_SIZE, perTick)));
  }

  private void stop() {
    stopped = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }
}
