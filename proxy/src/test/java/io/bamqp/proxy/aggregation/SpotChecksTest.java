package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.planner.ByteRange;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Spot checks on their own, with a home line that answers at once with the origin's bytes. */
class SpotChecksTest {
  private static final int RANGE = 1 << 20;
  private static final byte[] ORIGIN = new byte[RANGE];

  static {
    for (int i = 0; i < RANGE; i++) {
      ORIGIN[i] = (byte) (i * 31 + 7);
    }
  }

  private final List<Long> mismatches = new ArrayList<>();
  private final List<ByteRange> refetched = new ArrayList<>();

  /** Picks the last possible block of every range. */
  private final RandomGenerator lastBlock = FixedPicks.last();

  private final ByteSource home =
      new ByteSource() {
        @Override
        public String name() {
          return "home";
        }

        @Override
        public Future<Flow> open(ByteRange range) {
          refetched.add(range);
          return Future.succeededFuture(
              FakeFlow.answeringOnResume(
                  Buffer.buffer(ORIGIN).getBuffer((int) range.first(), (int) range.last() + 1)));
        }
      };

  private final SpotChecks checks =
      new SpotChecks(1, lastBlock, home, (source, offset) -> mismatches.add(offset));

  private static Buffer altered(int from, int to) {
    Buffer bytes = Buffer.buffer(ORIGIN).getBuffer(from, to);
    for (int i = 0; i < bytes.length(); i++) {
      bytes.setByte(i, (byte) ~bytes.getByte(i));
    }
    return bytes;
  }

  @Test
  void aNeighborThatResetsBeforeTheRandomBlockIsCheckedOnWhatItDelivered() {
    ByteRange range = new ByteRange(0, RANGE - 1);
    checks.rangeStarted(7, range);

    checks.received(7, 0, altered(0, 100_000));
    checks.rangeStopped(7, range);

    assertThat(refetched).containsExactly(new ByteRange(0, SpotChecks.BLOCK_BYTES - 1));
    assertThat(mismatches).containsExactly(0L);
    assertThat(checks.pending()).isZero();
  }

  @Test
  void aWholeHonestRangeIsCheckedOnceOnItsRandomBlock() {
    ByteRange range = new ByteRange(0, RANGE - 1);
    checks.rangeStarted(7, range);

    checks.received(7, 0, Buffer.buffer(ORIGIN));
    checks.rangeStopped(7, range);

    assertThat(refetched).containsExactly(new ByteRange(RANGE - SpotChecks.BLOCK_BYTES, RANGE - 1));
    assertThat(mismatches).isEmpty();
  }
}
