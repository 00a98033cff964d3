package io.bamqp.proxy.aggregation;

import io.bamqp.planner.ByteRange;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.UUID;

/**
 * A neighbor's second job in a download, as the checker of another neighbor's bytes ({@link
 * SpotChecks}): it fetches sampled blocks from the origin over its own line, so checks cost the
 * home line nothing. It is a job like any other for the helper (offered, counted against its
 * sharing caps and job slots, signed chunks), offered at the first check and released when the
 * download ends. At most {@link io.bamqp.peer.HelperOptions#MAX_FETCHES_PER_JOB} blocks are fetched
 * at once; the rest wait their turn. A neighbor that declines is not asked again in this download.
 *
 * <p>Confined to the session's event loop.
 */
final class CheckJob implements ByteSource {
  private final Neighbor neighbor;
  private final Future<Neighbor.Joined> joined;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int fetching;
  private long asked;
  private boolean released;

  CheckJob(Neighbor neighbor, Eligibility.Download download, String url, long expectedMillis) {
    this.neighbor = neighbor;
    this.joined = neighbor.offer(UUID.randomUUID().toString(), download, url, expectedMillis);
  }

  /** False once the neighbor declined the job or could not be reached. */
  boolean usable() {
    return !joined.failed() && !released;
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
    waiting.add(
        () ->
            joined
                .compose(job -> job.source().open(range))
                .onComplete(
                    result -> {
                      if (result.failed()) {
                        ended();
                        opened.fail(result.cause());
                      } else {
                        opened.complete(new EndingFlow(result.result(), this::ended));
                      }
                    }));
    next();
    return opened.future();
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

    @Override
    public Flow exceptionHandler(Handler<Throwable> handler) {
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
