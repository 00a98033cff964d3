package io.bamqp.proxy.aggregation;

import io.bamqp.planner.ByteRange;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;

/**
 * A neighbor's second job in a download, as the checker of another neighbor's bytes ({@link
 * SpotChecks}): it fetches sampled blocks from the origin over its own line, so checks cost the
 * home line nothing. It is a job like any other for the helper (offered, counted against its
 * sharing caps and job slots, signed chunks), offered when the download first picks this neighbor
 * as a checker (under the node's scheduler only on a slot no other download waits for) and released
 * when the download ends, the neighbor leaves it, or another download comes to wait for the slot.
 * At most {@link io.bamqp.peer.HelperOptions#MAX_FETCHES_PER_JOB} blocks are fetched at once; the
 * rest wait their turn. A neighbor that declines is not asked again in this download.
 *
 * <p>Confined to the session's event loop.
 */
final class CheckJob implements ByteSource {
  private final Neighbor neighbor;
  private final Future<Neighbor.Joined> joined;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private final java.util.Set<Promise<Flow>> pending = new java.util.HashSet<>();
  private final java.util.Set<EndingFlow> live = new java.util.HashSet<>();
  private int fetching;
  private long asked;
  private IllegalStateException aborted;
  private boolean released;

  CheckJob(Neighbor neighbor, Eligibility.Download download, String url, long expectedMillis) {
    this.neighbor = neighbor;
    this.joined = neighbor.offer(UUID.randomUUID().toString(), download, url, expectedMillis);
  }

  /** The offer: fails when the neighbor declined the job or could not be reached. */
  Future<Neighbor.Joined> offered() {
    return joined;
  }

  /** False once the neighbor declined the job or could not be reached. */
  boolean usable() {
    return !joined.failed() && !released && aborted == null;
  }

  @Override
  public String name() {
    return neighbor.name() + " (checking)";
  }

  /** Bytes asked of it so far in this download. */
  long askedBytes() {
    return asked;
  }

  @Override
  public Future<Flow> open(ByteRange range) {
    asked += range.length();
    Promise<Flow> opened = Promise.promise();
    if (aborted != null) {
      opened.fail(aborted);
      return opened.future();
    }
    pending.add(opened);
    waiting.add(
        () ->
            joined
                .compose(job -> job.source().open(range))
                .onComplete(
                    result -> {
                      pending.remove(opened);
                      if (result.failed()) {
                        ended();
                        opened.tryFail(result.cause());
                      } else if (aborted != null) {
                        result.result().cancel();
                        ended();
                        opened.tryFail(aborted);
                      } else {
                        EndingFlow[] flow = new EndingFlow[1];
                        flow[0] =
                            new EndingFlow(
                                result.result(),
                                () -> {
                                  live.remove(flow[0]);
                                  ended();
                                });
                        live.add(flow[0]);
                        opened.complete(flow[0]);
                      }
                    }));
    next();
    return opened.future();
  }

  /**
   * The neighbor failed or stalled in this download: every block it was asked for fails now, so the
   * checks fall back to the home line or end inconclusive at once, instead of holding the ranges
   * they check until {@link SpotChecks#CHECK_TIMEOUT_MILLIS} (issue 14: a dead checker held the
   * client for 10 s).
   */
  void abort(String why) {
    if (aborted != null) {
      return;
    }
    aborted = new IllegalStateException(why);
    waiting.clear();
    for (Promise<Flow> opened : List.copyOf(pending)) {
      opened.tryFail(aborted);
    }
    pending.clear();
    for (EndingFlow flow : List.copyOf(live)) {
      flow.fail(aborted);
    }
    live.clear();
  }

  /** The download is over: the neighbor's check job is released once it was accepted. */
  void release() {
    released = true;
    waiting.clear();
    joined.onSuccess(job -> job.release().run());
  }

  private void ended() {
    fetching--;
    next();
  }

  private void next() {
    while (fetching < io.bamqp.peer.HelperOptions.MAX_FETCHES_PER_JOB && !waiting.isEmpty()) {
      fetching++;
      waiting.poll().run();
    }
  }

  /** A fetch that frees its slot once, however it ends. */
  private static final class EndingFlow implements Flow {
    private final Flow flow;
    private Runnable ended;
    private Handler<Throwable> failed;

    EndingFlow(Flow flow, Runnable ended) {
      this.flow = flow;
      this.ended = ended;
    }

    private void end() {
      Runnable once = ended;
      ended = null;
      if (once != null) {
        once.run();
      }
    }

    @Override
    public void cancel() {
      flow.cancel();
      end();
    }

    @Override
    public Flow handler(Handler<Buffer> handler) {
      flow.handler(handler);
      return this;
    }

    /** Cancels the fetch and fails it, as if the neighbor had reset it. */
    void fail(Throwable cause) {
      flow.cancel();
      end();
      if (failed != null) {
        failed.handle(cause);
      }
    }

    @Override
    public Flow exceptionHandler(Handler<Throwable> handler) {
      failed = handler;
      flow.exceptionHandler(
          failure -> {
            end();
            if (handler != null) {
              handler.handle(failure);
            }
          });
      return this;
    }

    @Override
    public Flow endHandler(Handler<Void> handler) {
      flow.endHandler(
          done -> {
            end();
            if (handler != null) {
              handler.handle(done);
            }
          });
      return this;
    }

    @Override
    public Flow pause() {
      flow.pause();
      return this;
    }

    @Override
    public Flow resume() {
      flow.resume();
      return this;
    }

    @Override
    public Flow fetch(long amount) {
      flow.fetch(amount);
      return this;
    }
  }
}
