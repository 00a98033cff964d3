package io.bamqp.proxy.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.testbed.Await;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class OwnTrafficTest {
  private static final long DEADLINE_SECONDS = 5;
  private static final int CHUNK = 64 * 1024;

  private final Vertx vertx = Vertx.vertx();
  private final OwnTraffic meter = OwnTraffic.create(vertx);
  private final BlockingQueue<Boolean> changes = new LinkedBlockingQueue<>();

  @AfterEach
  void close() throws Exception {
    meter.close();
    Await.result(vertx.close());
  }

  @Test
  @Tag("timing") // a rate over the wall clock, and the idle delay measured on it
  void aDownloadMakesItBusyAndOnlyTheIdleDelayAfterItEndsMakesItIdle() throws Exception {
    meter.listen(changes::add);
    long feeding = vertx.setPeriodic(20, t -> meter.add(CHUNK)); // 3.2 MB/s
    assertThat(changes.poll(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(meter.busy()).isTrue();
    assertThat(meter.bytesPerSecond()).isGreaterThan(OwnTraffic.DEFAULT_BUSY_BYTES_PER_SECOND);

    vertx.cancelTimer(feeding);
    long stopped = System.nanoTime();
    assertThat(changes.poll(DEADLINE_SECONDS, TimeUnit.SECONDS)).isFalse();
    long idleAfterMillis = (System.nanoTime() - stopped) / 1_000_000;

    assertThat(idleAfterMillis)
        .isGreaterThanOrEqualTo(
            OwnTraffic.DEFAULT_IDLE_AFTER.toMillis() - OwnTraffic.TICK.toMillis());
    assertThat(meter.busy()).isFalse();
    assertThat(changes).isEmpty();
  }

  @Test
  void aTrickleNeverMakesItBusy() throws Exception {
    meter.listen(changes::add);
    long feeding = vertx.setPeriodic(100, t -> meter.add(1024)); // 10 KiB/s, a page's pace
    // What is asserted is an absence: a second of trickle brings no change.
    await().during(Duration.ofSeconds(1)).atMost(Await.DEFAULT_DEADLINE).until(changes::isEmpty);
    vertx.cancelTimer(feeding);
    assertThat(changes).isEmpty();
    assertThat(meter.bytesDelivered()).isPositive();
  }

  @Test
  void theCountingStreamCountsEveryBufferItPassesOn() {
    Sink sink = new Sink();
    WriteStream<Buffer> counted = meter.counting(sink);
    counted.write(Buffer.buffer(new byte[1000]));
    counted.write(Buffer.buffer(new byte[24]));
    counted.end(Buffer.buffer(new byte[1]));

    assertThat(meter.bytesDelivered()).isEqualTo(1025);
    assertThat(sink.bytes).isEqualTo(1025);
    assertThat(sink.ended).isTrue();
    sink.full = true;
    assertThat(counted.writeQueueFull()).as("back-pressure is the client's").isTrue();
  }

  @Test
  void followingARunningCountAddsWhatItGrewBy() throws Exception {
    AtomicLong written = new AtomicLong(500);
    Promise<Runnable> following = Promise.promise();
    vertx.runOnContext(v -> following.complete(meter.follow(written::get)));
    Runnable stop = Await.result(following.future());
    written.addAndGet(4_000);
    stop.run();
    assertThat(meter.bytesDelivered()).as("the 500 before following are not own").isEqualTo(4_000);
  }

  /** A client stream that takes everything, with a switch for back-pressure. */
  private static final class Sink implements WriteStream<Buffer> {
    long bytes;
    boolean ended;
    boolean full;

    @Override
    public Future<Void> write(Buffer data) {
      bytes += data.length();
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      ended = true;
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return full;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
