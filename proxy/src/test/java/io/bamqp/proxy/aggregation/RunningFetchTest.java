package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.planner.ByteRange;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class RunningFetchTest {
  private final CountingFlow flow = new CountingFlow();

  @Test
  void bytesPastTheRangeAreClippedAndTheRangeIsWholeAtItsLastByte() {
    RunningFetch fetch = new RunningFetch(null, new ByteRange(100, 109), flow, false);

    Buffer first = fetch.clip(Buffer.buffer("012345"));
    assertThat(first.length()).isEqualTo(6);
    assertThat(fetch.advance(first.length())).isFalse();
    assertThat(fetch.next()).isEqualTo(106);

    Buffer rest = fetch.clip(Buffer.buffer("6789abcdef"));
    assertThat(rest.toString()).isEqualTo("6789");
    assertThat(fetch.advance(rest.length())).isTrue();

    fetch.cutIfRunsPastRange();
    assertThat(flow.cancels).as("a range fetch ends by itself").isZero();
  }

  @Test
  void theInitialResponseIsCutOnceItsRangeIsWhole() {
    RunningFetch fetch = new RunningFetch(null, new ByteRange(0, 3), flow, true);

    assertThat(fetch.advance(fetch.clip(Buffer.buffer("0123456789")).length())).isTrue();
    fetch.cutIfRunsPastRange();

    assertThat(flow.cancels).isEqualTo(1);
  }

  /** A flow that only counts how often it is cancelled. */
  private static final class CountingFlow implements Flow {
    int cancels;

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
      return this;
    }

    @Override
    public Flow pause() {
      return this;
    }

    @Override
    public Flow resume() {
      return this;
    }

    @Override
    public Flow fetch(long amount) {
      return this;
    }

    @Override
    public Flow endHandler(Handler<Void> endHandler) {
      return this;
    }
  }
}
