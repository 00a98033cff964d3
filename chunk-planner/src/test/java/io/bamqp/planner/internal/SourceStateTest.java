package io.bamqp.planner.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.bamqp.planner.Action.Assign.Purpose;
import io.bamqp.planner.ByteRange;
import org.junit.jupiter.api.Test;

/**
 * How a source's start-up is learned: from ranges that show it, never from one the source served
 * right behind the previous.
 */
class SourceStateTest {
  static final long MS = 1_000_000L;

  /** 50 Mbit/s. */
  static final long RATE = 6_250_000;

  /** A neighbor's verified chunk: 256 KiB, 42 ms at {@link #RATE}. */
  static final long CHUNK = 256 << 10;

  static final long CHUNK_NANOS = CHUNK * 1_000_000_000L / RATE;

  /** What a neighbor's offer round trip says. */
  static final long TOLD = 5 * MS;

  private long ids;

  private Assignment ask(SourceState s, long first, long length, long at) {
    Assignment a = new Assignment(ids++, s, ByteRange.ofLength(first, length), Purpose.FETCH, at);
    s.queue.addLast(a);
    s.undeliveredBytes += length;
    return a;
  }

  /** Delivers all of {@code a} in chunks, its first at {@code first}; returns the last's time. */
  private static long deliverAll(SourceState s, Assignment a, long first) {
    long t = first;
    while (!a.isDone()) {
      s.recordDelivery(a, Math.min(CHUNK, a.remaining()), t);
      t += CHUNK_NANOS;
    }
    s.queue.remove(a);
    return t - CHUNK_NANOS;
  }

  @Test
  void startsAtTheToldRoundTrip() {
    assertThat(new SourceState(1, RATE, TOLD).startNanos()).isEqualTo(TOLD);
  }

  @Test
  void learnsTheStartUpOfRangesAskedForWhileIdle() {
    SourceState s = new SourceState(1, RATE, TOLD);
    long t = 0;
    for (int i = 0; i < 12; i++) {
      Assignment a = ask(s, i * 4 * CHUNK, 4 * CHUNK, t);
      t = deliverAll(s, a, t + 200 * MS) + 50 * MS;
    }

    assertThat(s.startNanos()).isCloseTo(200 * MS, offset(10 * MS));
  }

  /**
   * A source that serves ranges side by side (a neighbor: one connection per range): the next
   * range's first chunk arrives while the previous one still flows, slowed by sharing the line with
   * it. That is not how long a range takes to start, and learning it would ask ever earlier.
   */
  @Test
  void aRangeThatStartsWhileThePreviousStillFlowsTeachesNothing() {
    SourceState s = new SourceState(1, RATE, TOLD);
    Assignment current = ask(s, 0, 16 * CHUNK, 0);
    long firstChunk = 200 * MS;
    s.recordDelivery(current, CHUNK, firstChunk);
    long learned = s.startNanos();
    for (int i = 1; i < 12; i++) {
      Assignment next = ask(s, i * 16 * CHUNK, 16 * CHUNK, firstChunk + 2 * CHUNK_NANOS);
      long nextFirstChunk = next.issuedAt + 400 * MS; // while current still has chunks to go
      for (int c = 1; c < 16; c++) {
        long t = firstChunk + c * CHUNK_NANOS;
        if (next.delivered == 0 && nextFirstChunk < t) {
          s.recordDelivery(next, CHUNK, nextFirstChunk);
        }
        s.recordDelivery(current, CHUNK, t);
      }
      assertThat(current.isDone()).isTrue();
      assertThat(next.delivered).isPositive();
      s.queue.remove(current);
      current = next;
      firstChunk = nextFirstChunk;
    }

    assertThat(s.startNanos()).isEqualTo(learned);
  }

  /**
   * A source that starts late because it was asked for too little ahead: its previous range ended,
   * then nothing came for 100 ms, then the next range's first chunk.
   */
  @Test
  void learnsFromTheGapAfterAPipelinedRangeThatStartedLate() {
    SourceState s = new SourceState(1, RATE, TOLD);
    Assignment current = ask(s, 0, 8 * CHUNK, 0);
    long end = deliverAll(s, current, 200 * MS);
    for (int i = 1; i < 12; i++) {
      Assignment next = ask(s, i * 8 * CHUNK, 8 * CHUNK, end - 100 * MS);
      end = deliverAll(s, next, next.issuedAt + 200 * MS);
    }

    assertThat(s.startNanos()).isCloseTo(200 * MS, offset(10 * MS));
  }

  /**
   * A source that serves its ranges one after the other: a range asked for well ahead starts right
   * behind the previous one, so the time from asking to its first chunk is mostly waiting in line.
   * Learning that would ask for ranges ever earlier.
   */
  @Test
  void aRangeServedRightBehindThePreviousTeachesNothing() {
    SourceState s = new SourceState(1, RATE, TOLD);
    Assignment current = ask(s, 0, 8 * CHUNK, 0);
    long end = deliverAll(s, current, TOLD + CHUNK_NANOS);
    long learned = s.startNanos();
    for (int i = 1; i < 12; i++) {
      Assignment next = ask(s, i * 8 * CHUNK, 8 * CHUNK, end - 300 * MS);
      end = deliverAll(s, next, end + CHUNK_NANOS);
    }

    assertThat(s.startNanos()).isEqualTo(learned);
  }

  @Test
  void aSourceThatTakesSecondsToStartIsHeldToTheCap() {
    SourceState s = new SourceState(1, RATE, TOLD);
    long t = 0;
    for (int i = 0; i < 30; i++) {
      Assignment a = ask(s, i * CHUNK, CHUNK, t);
      t = deliverAll(s, a, t + 5_000 * MS) + MS;
    }

    assertThat(s.startNanos()).isCloseTo(SourceState.MAX_START_NANOS, offset(MS));
  }

  @Test
  void theHomeResponseAlreadyFlowingTeachesNothing() {
    SourceState s = new SourceState(0, RATE, TOLD);
    Assignment open =
        new Assignment(ids++, s, ByteRange.ofLength(0, 4 * CHUNK), Purpose.INITIAL_RESPONSE, 0);
    s.queue.addLast(open);
    s.undeliveredBytes += open.range.length();

    deliverAll(s, open, 900 * MS);

    assertThat(s.startNanos()).isEqualTo(TOLD);
  }
}
