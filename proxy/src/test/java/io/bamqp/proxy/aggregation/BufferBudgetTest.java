package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class BufferBudgetTest {
  private static final long MIB = 1 << 20;

  @Test
  void aWindowIsTheWantedSizeWhileTheBudgetLastsAndComesBackOnRelease() {
    BufferBudget budget = new BufferBudget(10 * MIB, 4 * MIB);

    BufferBudget.Window first = budget.reserve(4 * MIB);
    BufferBudget.Window second = budget.reserve(4 * MIB);

    assertThat(first.bytes()).isEqualTo(4 * MIB);
    assertThat(second.bytes()).isEqualTo(4 * MIB);
    assertThat(budget.reservedBytes()).isEqualTo(8 * MIB);
    assertThat(budget.downloads()).isEqualTo(2);
    first.release();
    assertThat(budget.reservedBytes()).isEqualTo(4 * MIB);
    assertThat(budget.downloads()).isEqualTo(1);
  }

  @Test
  void downloadsShareTheBudgetEquallyAndTheOthersGiveBackWhatTheirClientsHaveMadeRoomFor() {
    BufferBudget budget = new BufferBudget(32 * MIB, 2 * MIB);
    BufferBudget.Window first = budget.reserve(32 * MIB);
    assertThat(first.bytes()).isEqualTo(32 * MIB);
    first.settle(30 * MIB); // its sources reach 30 MiB beyond its client

    BufferBudget.Window second = budget.reserve(32 * MIB);

    assertThat(first.target()).isEqualTo(16 * MIB);
    assertThat(first.bytes()).isEqualTo(30 * MIB);
    assertThat(second.bytes()).isEqualTo(2 * MIB);
    assertThat(first.settle(20 * MIB)).isEqualTo(20 * MIB);
    assertThat(second.settle(2 * MIB)).isEqualTo(12 * MIB);
    assertThat(first.settle(3 * MIB)).isEqualTo(16 * MIB);
    assertThat(second.settle(12 * MIB)).isEqualTo(16 * MIB);
    assertThat(budget.reservedBytes()).isEqualTo(32 * MIB);

    first.release();

    assertThat(second.settle(16 * MIB)).isEqualTo(32 * MIB);
    assertThat(budget.reservedBytes()).isEqualTo(32 * MIB);
  }

  @Test
  void aDownloadThatHasNotReportedIsCountedAsUsingItsWholeWindow() {
    BufferBudget budget = new BufferBudget(8 * MIB, 2 * MIB);
    BufferBudget.Window first = budget.reserve(8 * MIB);

    BufferBudget.Window second = budget.reserve(8 * MIB);

    assertThat(first.bytes()).isEqualTo(8 * MIB);
    assertThat(second.bytes()).isEqualTo(2 * MIB);
    assertThat(budget.reservedBytes()).isEqualTo(10 * MIB);
    assertThat(first.settle(0)).isEqualTo(4 * MIB);
    assertThat(second.settle(2 * MIB)).isEqualTo(4 * MIB);
    assertThat(budget.reservedBytes()).isEqualTo(8 * MIB);
  }

  @Test
  void aDownloadIsRefusedOnlyWhenAnEqualShareWouldBeBelowTheMinimum() {
    BufferBudget budget = new BufferBudget(13 * MIB, 4 * MIB);

    BufferBudget.Window first = budget.reserve(8 * MIB);
    first.settle(0);
    BufferBudget.Window second = budget.reserve(8 * MIB);
    second.settle(0);
    BufferBudget.Window third = budget.reserve(8 * MIB);

    assertThat(third.bytes()).isEqualTo(13 * MIB / 3);
    assertThat(first.bytes() + second.bytes() + third.bytes()).isLessThanOrEqualTo(13 * MIB);
    assertThat(budget.reserve(8 * MIB)).isNull();
    assertThat(budget.exhausted())
        .isEqualTo(
            "buffer budget of 13.0 MiB shared by 3 downloads already (at least 4.0 MiB each):"
                + " streamed through");
  }

  @Test
  void clientsThatNeverReadCannotMakeTheWindowsAddUpToMoreThanTwiceTheBudget() {
    BufferBudget budget = new BufferBudget(16 * MIB, 2 * MIB);
    List<BufferBudget.Window> windows = new ArrayList<>();
    BufferBudget.Window window;
    while ((window = budget.reserve(16 * MIB)) != null) {
      windows.add(window);
      for (BufferBudget.Window w : windows) {
        w.settle(w.bytes()); // every source fetched to the end of its window; nobody reads
      }
      assertThat(budget.reservedBytes()).isLessThanOrEqualTo(2 * 16 * MIB);
    }

    assertThat(windows).hasSize(8);
    assertThat(windows).allMatch(w -> w.bytes() >= 2 * MIB);
  }

  @Test
  void aWindowReleasedTwiceCountsOnceAndTheBudgetNeverGoesNegative() {
    BufferBudget budget = new BufferBudget(8 * MIB, 4 * MIB);
    BufferBudget.Window window = budget.reserve(4 * MIB);

    window.release();
    window.release();

    assertThat(budget.reservedBytes()).isZero();
    assertThat(budget.downloads()).isZero();
    assertThat(budget.reserve(4 * MIB)).isNotNull();
  }

  @Test
  void theDefaultIsAQuarterOfTheHeapAndAtLeastOneMinimumWindow() {
    assertThat(BufferBudget.fromHeap(128 * MIB)).isEqualTo(32 * MIB);
    assertThat(BufferBudget.fromHeap(8 * MIB)).isEqualTo(BufferBudget.MINIMUM_WINDOW_BYTES);
  }

  @Test
  void sessionsOnManyEventLoopsNeverHoldMoreThanTwiceTheBudget() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
    try {
      BufferBudget budget = new BufferBudget(16 * MIB, MIB);
      AtomicLong highest = new AtomicLong();
      int loops = 8;
      int rounds = 2000;
      CountDownLatch done = new CountDownLatch(loops);
      List<Throwable> failures = new ArrayList<>();
      for (int i = 0; i < loops; i++) {
        vertx.runOnContext(
            start -> {
              for (int round = 0; round < rounds; round++) {
                BufferBudget.Window window = budget.reserve(3 * MIB);
                highest.accumulateAndGet(budget.reservedBytes(), Math::max);
                if (budget.reservedBytes() < 0) {
                  synchronized (failures) {
                    failures.add(new AssertionError("negative"));
                  }
                }
                if (window != null) {
                  window.release();
                }
              }
              done.countDown();
            });
      }
      assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
      assertThat(failures).isEmpty();
      assertThat(highest.get()).isLessThanOrEqualTo(2 * 16 * MIB);
      assertThat(budget.reservedBytes()).isZero();
      assertThat(budget.downloads()).isZero();
    } finally {
      vertx.close().await();
    }
  }
}
