package io.bamqp.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.testbed.Await;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoalescingTest {
  private static final int PACKET = 1448;

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final Source source = new Source();
  private final List<Buffer> out = new CopyOnWriteArrayList<>();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AtomicReference<Throwable> failed = new AtomicReference<>();
  private Coalescing coalescing;

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void packetsLeaveInWritesOfSixteenKibInOrderAndTheRestBeforeTheEnd() {
    Buffer sent = Buffer.buffer();
    run(
        () -> {
          start();
          for (int i = 0; i < 40; i++) {
            Buffer packet = packet(i);
            sent.appendBuffer(packet);
            source.emit(packet);
          }
          source.end();
        });

    await().atMost(Await.DEFAULT_DEADLINE).untilTrue(ended);
    assertThat(out.subList(0, out.size() - 1))
        .allMatch(write -> write.length() >= Coalescing.WRITE_BYTES);
    assertThat(out).hasSizeLessThanOrEqualTo(40 * PACKET / Coalescing.WRITE_BYTES + 1);
    assertThat(joined()).isEqualTo(sent);
  }

  @Test
  void heldBytesLeaveInFrontOfALargeBufferInOneWrite() {
    Buffer trailer = Buffer.buffer(new byte[100]);
    Buffer batch = Buffer.buffer(new byte[4 * Coalescing.WRITE_BYTES]).setByte(0, (byte) 7);
    run(
        () -> {
          start();
          source.emit(trailer);
          source.emit(batch);
          source.end();
        });

    await().atMost(Await.DEFAULT_DEADLINE).untilTrue(ended);
    assertThat(out).hasSize(1);
    assertThat(out.get(0)).isEqualTo(trailer.copy().appendBuffer(batch));
  }

  @Test
  void aLonePacketLeavesWithinTheDelay() {
    run(
        () -> {
          start();
          source.emit(packet(1));
        });

    await().atMost(Await.DEFAULT_DEADLINE).until(() -> out.size() == 1);
    assertThat(out.get(0)).isEqualTo(packet(1));
  }

  @Test
  void nothingLeavesWhilePausedAndTheHeldBytesThenTheEndFollowTheResume() {
    run(
        () -> {
          start();
          source.emit(packet(1));
          coalescing.pause();
          source.emit(packet(2)); // in flight as the source paused
          source.end();
        });
    AtomicBoolean timerPassed = new AtomicBoolean();
    vertx.setTimer(4 * Coalescing.MAX_DELAY_MILLIS, id -> timerPassed.set(true));
    await().atMost(Await.DEFAULT_DEADLINE).untilTrue(timerPassed);
    assertThat(out).isEmpty();
    assertThat(ended).isFalse();
    assertThat(source.paused).isTrue();

    run(() -> coalescing.resume());

    await().atMost(Await.DEFAULT_DEADLINE).untilTrue(ended);
    assertThat(joined()).isEqualTo(packet(1).appendBuffer(packet(2)));
  }

  @Test
  void aFailureDropsWhatIsHeldAndIsReported() {
    IllegalStateException cause = new IllegalStateException("origin reset");
    run(
        () -> {
          start();
          source.emit(packet(1));
          source.fail(cause);
        });

    await().atMost(Await.DEFAULT_DEADLINE).until(() -> failed.get() != null);
    assertThat(failed.get()).isSameAs(cause);
    AtomicBoolean timerPassed = new AtomicBoolean();
    vertx.setTimer(4 * Coalescing.MAX_DELAY_MILLIS, id -> timerPassed.set(true));
    await().atMost(Await.DEFAULT_DEADLINE).untilTrue(timerPassed);
    assertThat(out).isEmpty();
  }

  private void start() {
    coalescing = new Coalescing(vertx, source);
    coalescing.exceptionHandler(failed::set);
    coalescing.endHandler(v -> ended.set(true));
    coalescing.handler(out::add);
  }

  private void run(Runnable action) {
    AtomicBoolean done = new AtomicBoolean();
    context.runOnContext(
        v -> {
          action.run();
          done.set(true);
        });
    await().atMost(Await.DEFAULT_DEADLINE).untilTrue(done);
  }

  private Buffer joined() {
    Buffer all = Buffer.buffer();
    out.forEach(all::appendBuffer);
    return all;
  }

  private static Buffer packet(int seed) {
    byte[] bytes = new byte[PACKET];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (seed * 31 + i);
    }
    return Buffer.buffer(bytes);
  }

  /** A source driven by the test, on the test's context. */
  private static final class Source implements ReadStream<Buffer> {
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    volatile boolean paused;

    void emit(Buffer data) {
      handler.handle(data);
    }

    void end() {
      endHandler.handle(null);
    }

    void fail(Throwable cause) {
      exceptionHandler.handle(cause);
    }

    @Override
    public Source handler(Handler<Buffer> handler) {
      this.handler = handler;
      return this;
    }

    @Override
    public Source exceptionHandler(Handler<Throwable> handler) {
      this.exceptionHandler = handler;
      return this;
    }

    @Override
    public Source endHandler(Handler<Void> handler) {
      this.endHandler = handler;
      return this;
    }

    @Override
    public Source pause() {
      paused = true;
      return this;
    }

    @Override
    public Source resume() {
      paused = false;
      return this;
    }

    @Override
    public Source fetch(long amount) {
      return resume();
    }
  }
}
