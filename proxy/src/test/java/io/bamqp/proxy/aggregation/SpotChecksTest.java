package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.planner.ByteRange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Spot checks on their own: a home line and a checking neighbor that answer with the origin's bytes
 * (at once, or when the test says), verdicts recorded as they come, all on the test's thread.
 */
class SpotChecksTest {
  private static final int MIB = 1 << 20;
  private static final int SIZE = 8 * MIB;
  private static final byte[] ORIGIN = new byte[SIZE];
  private static final int NEIGHBOR = 7;
  private static final int CHECKER = 9;

  static {
    for (int i = 0; i < SIZE; i++) {
      ORIGIN[i] = (byte) (i * 31 + 7 + (i >> 13));
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final Map<Integer, String> caught = new LinkedHashMap<>();
  private final List<ByteRange> homeFetches = new ArrayList<>();
  private final List<ByteRange> checkerFetches = new ArrayList<>();
  private final List<FakeFlow> checkerAnswers = new ArrayList<>();
  private boolean checkerLies;
  private boolean checkerWaits;
  private boolean homeChecks;

  private final ByteSource home =
      new ByteSource() {
        @Override
        public String name() {
          return "home";
        }

        @Override
        public Future<Flow> open(ByteRange range) {
          homeFetches.add(range);
          return Future.succeededFuture(FakeFlow.answeringOnResume(origin(range)));
        }
      };

  private final ByteSource checker =
      new ByteSource() {
        @Override
        public String name() {
          return "checker";
        }

        @Override
        public Future<Flow> open(ByteRange range) {
          checkerFetches.add(range);
          Buffer bytes = checkerLies ? altered(range) : origin(range);
          FakeFlow answer = checkerWaits ? FakeFlow.of(bytes) : FakeFlow.answeringOnResume(bytes);
          checkerAnswers.add(answer);
          return Future.succeededFuture(answer);
        }
      };

  private final SpotChecks checks =
      new SpotChecks(
          new SamplePlan(1, FixedPicks.first()),
          SIZE,
          vertx,
          home,
          new SpotChecks.Team() {
            @Override
            public SpotChecks.Checker checkerFor(int sourceId) {
              return homeChecks
                  ? new SpotChecks.Checker(-1, true, home)
                  : new SpotChecks.Checker(CHECKER, false, checker);
            }

            @Override
            public long cleanHistory(int sourceId) {
              return 0;
            }

            @Override
            public void caught(int sourceId, String reason) {
              caught.put(sourceId, reason);
            }

            @Override
            public void settled() {}
          });

  @AfterEach
  void stop() {
    vertx.close();
  }

  private static Buffer origin(ByteRange range) {
    return Buffer.buffer(ORIGIN).getBuffer((int) range.first(), (int) range.last() + 1);
  }

  private static Buffer altered(ByteRange range) {
    Buffer bytes = origin(range);
    bytes.setByte(bytes.length() - 1, (byte) ~bytes.getByte(bytes.length() - 1));
    return bytes;
  }

  /** Delivers {@code range} in 16 KiB buffers, as a neighbor's chunks arrive. */
  private void deliver(int sourceId, ByteRange range, Buffer bytes) {
    for (int at = 0; at < bytes.length(); at += 16 * 1024) {
      int to = Math.min(bytes.length(), at + 16 * 1024);
      checks.received(sourceId, range.first() + at, bytes.slice(at, to));
    }
  }

  @Test
  void aNeighborOnProbationIsComparedWholeThenOnlyAtTheFloor() {
    long compared = 0;
    for (int i = 0; i < 4; i++) {
      ByteRange range = ByteRange.ofLength(i * 2L * MIB, 2 * MIB);
      checks.rangeStarted(NEIGHBOR, range);
      deliver(NEIGHBOR, range, origin(range));
      long fetched = checkerFetches.stream().mapToLong(ByteRange::length).sum();
      assertThat(fetched - compared).as("range %d", i).isPositive();
      compared = fetched;
      assertThat(checks.pending()).isZero();
    }

    assertThat(caught).isEmpty();
    assertThat(homeFetches).as("a neighbor checks: the home line fetches nothing").isEmpty();
    // Whole ranges until ln(200) MiB are compared, then 1/32 of the fourth.
    assertThat(checks.comparedClean(NEIGHBOR))
        .isBetween(SamplePlan.PROBATION_BYTES, SamplePlan.PROBATION_BYTES + 256 * 1024);
    assertThat(checks.verifiedBytes(NEIGHBOR)).isEqualTo(8L * MIB);
  }

  @Test
  void aCheckingNeighborIsAskedForTheBlocksWhenTheRangeStartsNotAfterItArrives() {
    checkerWaits = true;
    ByteRange probation = ByteRange.ofLength(0, 2 * MIB);
    ByteRange later = ByteRange.ofLength(8L * MIB - 4 * MIB, 4 * MIB);

    checks.rangeStarted(NEIGHBOR, probation);
    assertThat(checkerFetches)
        .as("asked before a byte of the range arrived")
        .containsExactly(probation);
    deliver(NEIGHBOR, probation, origin(probation));
    assertThat(checks.holdFrom(0, false)).as("held until the checker answers").isZero();
    checkerAnswers.forEach(FakeFlow::answer);
    assertThat(checks.holdFrom(0, false)).isEqualTo(Long.MAX_VALUE);
    assertThat(checks.comparedClean(NEIGHBOR)).isEqualTo(2 * MIB);

    checkerFetches.clear();
    checks.rangeStarted(NEIGHBOR, later);
    assertThat(checkerFetches)
        .as("the rest of the probation, then the floor, asked for at once")
        .isNotEmpty()
        .allMatch(block -> later.contains(block.first()) && later.contains(block.last()));
    assertThat(homeFetches).isEmpty();
  }

  @Test
  void theHomeLineAsCheckerIsAskedForTheBlocksWhenTheRangeStartsToo() {
    homeChecks = true;
    ByteRange range = ByteRange.ofLength(0, MIB);

    checks.rangeStarted(NEIGHBOR, range);
    assertThat(homeFetches)
        .as("asked before a byte of the range arrived, within its 2% of the download")
        .isNotEmpty()
        .allMatch(block -> range.contains(block.first()) && range.contains(block.last()));
    List<ByteRange> asked = List.copyOf(homeFetches);

    deliver(NEIGHBOR, range, origin(range));
    assertThat(homeFetches).as("nothing fetched a second time").isEqualTo(asked);
    assertThat(checks.pending()).isZero();
    assertThat(checks.holdFrom(0, false)).isEqualTo(Long.MAX_VALUE);
    assertThat(checks.homeBytes())
        .isPositive()
        .isLessThanOrEqualTo((long) (SIZE * 0.02))
        .isEqualTo(checks.comparedClean(NEIGHBOR));
    assertThat(caught).isEmpty();
  }

  @Test
  void oneAlteredByteIsFoundAndTheNeighborIsBlamedOnce() {
    ByteRange range = ByteRange.ofLength(0, 2 * MIB);
    checks.rangeStarted(NEIGHBOR, range);

    deliver(NEIGHBOR, range, altered(range));

    assertThat(caught).containsOnlyKeys(NEIGHBOR);
    assertThat(caught.get(NEIGHBOR)).contains("differ from the origin's");
    assertThat(homeFetches)
        .as("the home line settled the neighbors' disagreement on one block")
        .hasSize(1);
    assertThat(checks.forget(NEIGHBOR))
        .singleElement()
        .satisfies(
            span -> {
              assertThat(span[0]).isZero();
              assertThat(span[1]).isEqualTo(2 * MIB);
            });
    assertThat(checks.holdFrom(0, true)).isEqualTo(Long.MAX_VALUE);
    assertThat(checks.verifiedBytes(NEIGHBOR)).isZero();
  }

  @Test
  void aCheckerThatLiesIsBlamedOnceTheHomeLineSidesWithTheNeighbor() {
    checkerLies = true;
    ByteRange range = ByteRange.ofLength(0, MIB);
    checks.rangeStarted(NEIGHBOR, range);

    deliver(NEIGHBOR, range, origin(range));

    assertThat(caught).containsOnlyKeys(CHECKER);
    assertThat(caught.get(CHECKER)).contains("checked by a neighbor it checked");
  }

  @Test
  void aNeighborThatResetsMidBlockIsComparedOnWhatItDelivered() {
    homeChecks = true;
    ByteRange range = ByteRange.ofLength(0, MIB);
    checks.rangeStarted(NEIGHBOR, range);
    ByteRange sent = new ByteRange(0, 19_999);

    deliver(NEIGHBOR, sent, altered(sent));
    checks.rangeStopped(NEIGHBOR, range);

    assertThat(homeFetches)
        .as("the blocks planned at the start, then the short part the neighbor sent")
        .endsWith(sent);
    assertThat(caught).containsOnlyKeys(NEIGHBOR);
    assertThat(checks.pending()).isZero();
    assertThat(checks.homeBytes())
        .as("2% of the download, and one part past it at most")
        .isLessThanOrEqualTo((long) (SIZE * 0.02) + BlockHash.PART_BYTES);
  }

  @Test
  void aBlockCutShortIsComparedOnThePartsAlreadyAskedForAndOneShortPartMore() {
    ByteRange range = ByteRange.ofLength(0, 2 * MIB); // on probation: one block, the whole range
    checks.rangeStarted(NEIGHBOR, range);
    assertThat(checkerFetches).containsExactly(range);
    ByteRange sent = new ByteRange(0, MIB + 99);

    deliver(NEIGHBOR, sent, origin(sent));
    checks.rangeStopped(NEIGHBOR, range);

    assertThat(checkerFetches)
        .as("only the short last part fetched again")
        .containsExactly(range, new ByteRange(MIB, MIB + 99));
    assertThat(checks.pending()).isZero();
    assertThat(caught).isEmpty();
    assertThat(checks.comparedClean(NEIGHBOR)).isEqualTo(sent.length());
  }

  @Test
  void aByteAlteredBeforeTheCutIsCaughtFromThePartsAlreadyAskedFor() {
    ByteRange range = ByteRange.ofLength(0, 2 * MIB);
    checks.rangeStarted(NEIGHBOR, range);
    ByteRange sent = ByteRange.ofLength(0, MIB); // whole parts only: nothing fetched again

    Buffer bytes = origin(sent);
    bytes.setByte(5000, (byte) ~bytes.getByte(5000));
    deliver(NEIGHBOR, sent, bytes);
    checks.rangeStopped(NEIGHBOR, range);

    assertThat(caught).containsOnlyKeys(NEIGHBOR);
    assertThat(checkerFetches).containsExactly(range);
    assertThat(homeFetches)
        .as("the home line settled the disagreement on the first part")
        .containsExactly(new ByteRange(0, BlockHash.PART_BYTES - 1));
  }

  @Test
  void theClientWaitsAtARangeUntilItsChecksHaveAnswered() {
    checkerWaits = true;
    ByteRange first = ByteRange.ofLength(0, MIB);
    ByteRange second = ByteRange.ofLength(MIB, MIB);
    checks.rangeStarted(NEIGHBOR, first);
    checks.rangeStarted(NEIGHBOR, second);
    assertThat(checks.holdFrom(0, false)).as("nothing delivered yet").isEqualTo(Long.MAX_VALUE);

    deliver(NEIGHBOR, first, origin(first));
    assertThat(checks.holdFrom(0, false)).isEqualTo(0);
    checkerAnswers.forEach(FakeFlow::answer);

    assertThat(checks.holdFrom(0, false)).isEqualTo(Long.MAX_VALUE);
    assertThat(checks.holdFrom(MIB, true))
        .as("still on probation: what it sends next is held")
        .isEqualTo(Long.MAX_VALUE);
    deliver(NEIGHBOR, second, origin(second).slice(0, 1000));
    assertThat(checks.holdFrom(MIB, true)).isEqualTo(MIB);
    assertThat(caught).isEmpty();
  }
}
