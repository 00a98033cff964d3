package io.bamqp.peer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The batch {@link ReadBatching} asks the kernel for, on a clock of the test's own: 32 KiB until a
 * connection's rate is known, then 50 ms of that rate (at most 64 KiB), kept from one body to the
 * next, never more than the body still owes.
 */
class ReadBatchingRateTest {
  private static final long MS = 1_000_000L;

  /** Marks only computed: no socket. */
  private final ReadBatching batching = new ReadBatching(null);

  private long now = 1_000 * MS;

  @Test
  void aFastLineGetsTheLargestBatchAfterItsFirstTenthOfASecond() {
    long owed = 10_000_000;
    batching.remaining(owed, now);
    assertThat(batching.mark()).isEqualTo(ReadBatching.FIRST_BATCH_BYTES);

    // 50 Mbit/s: 6.25 MB/s, 625,000 bytes in 100 ms.
    for (int i = 0; i < 10; i++) {
      now += 10 * MS;
      owed -= 62_500;
      batching.remaining(owed, now);
    }
    assertThat(batching.mark()).isEqualTo(ReadBatching.BATCH_BYTES);
  }

  @Test
  void aSlowLineGetsFiftyMillisecondsOfItsRateSoNoByteWaitsLong() {
    long owed = 1_000_000;
    batching.remaining(owed, now);
    // 0.4 Mbit/s: 50,000 bytes a second; the first 32 KiB take 655 ms to gather.
    now += 655 * MS;
    owed -= 32_768;
    batching.remaining(owed, now);

    assertThat(batching.mark()).as("50 ms at 50,000 B/s").isEqualTo(2_501);
  }

  @Test
  void theNextBodyOnTheConnectionStartsWithTheBatchItsRateTaught() {
    long owed = 1_000_000;
    batching.remaining(owed, now);
    now += 200 * MS;
    owed -= 200_000; // 1 MB/s: 50 ms is 50,000 bytes
    batching.remaining(owed, now);
    batching.done();
    assertThat(batching.mark()).as("between bodies every byte wakes the reader").isEqualTo(1);

    now += 5_000 * MS; // an idle keep-alive connection: the gap is not part of any sample
    batching.remaining(2_000_000, now);
    assertThat(batching.mark()).isEqualTo(50_000);

    now += 150 * MS;
    batching.remaining(2_000_000 - 150_000, now);
    assertThat(batching.mark())
        .as("the gap before the body did not lower the rate")
        .isEqualTo(50_000);
  }

  @Test
  void theMarkNeverExceedsWhatTheBodyStillOwes() {
    batching.remaining(10_000, now);
    assertThat(batching.mark()).isEqualTo(10_000);
    now += MS;
    batching.remaining(0, now);
    assertThat(batching.mark()).as("the body's end still wakes the reader").isEqualTo(1);
  }

  @Test
  void aNewBodyIsRecognizedEvenWithoutDone() {
    batching.remaining(1_000_000, now);
    now += 100 * MS;
    batching.remaining(900_000, now); // 1 MB/s
    now += 10_000 * MS;

    // An abandoned body that never said done(), then a larger one: a new sample, not a 10 s gap.
    batching.remaining(5_000_000, now);
    now += 100 * MS;
    batching.remaining(4_900_000, now);

    assertThat(batching.mark()).isEqualTo(50_000);
  }

  @Test
  void batchBytesIsFiftyMillisecondsOfTheRateBetweenOneByteAndTheLargestBatch() {
    assertThat(ReadBatching.batchBytes(100_000, 100 * MS)).isEqualTo(50_000);
    assertThat(ReadBatching.batchBytes(10_000_000, 100 * MS)).isEqualTo(ReadBatching.BATCH_BYTES);
    assertThat(ReadBatching.batchBytes(0, 100 * MS)).isEqualTo(1);
    assertThat(ReadBatching.batchBytes(1_000, 0)).isEqualTo(ReadBatching.BATCH_BYTES);
  }
}
