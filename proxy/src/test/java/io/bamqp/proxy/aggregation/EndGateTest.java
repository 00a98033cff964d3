package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.planner.ByteRange;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The end gate on its own: a body of two buffers, a home line whose spot-check answers the test
 * releases by hand, and verdicts recorded as they are handed over (all on the test's thread).
 */
class EndGateTest {
  private static final Buffer HEAD = Buffer.buffer("0123456789");
  private static final Buffer TAIL = Buffer.buffer("abcdefghij");
  private static final long SIZE = HEAD.length() + TAIL.length();
  private static final Eligibility.Download WHOLE =
      new Eligibility.Download(new ByteRange(0, SIZE - 1), SIZE, "\"v1\"", null, false);

  private final List<Buffer> passed = new ArrayList<>();
  private final List<String> failed = new ArrayList<>();
  private final List<FakeFlow> homeAnswers = new ArrayList<>();

  /** Checks every range it is told of, on the range's first block. */
  private final RandomGenerator always = FixedPicks.first();

  private final ByteSource home =
      new ByteSource() {
        @Override
        public String name() {
          return "home";
        }

        @Override
        public Future<Flow> open(ByteRange range) {
          FakeFlow answer =
              FakeFlow.of(origin().getBuffer((int) range.first(), (int) range.last() + 1));
          homeAnswers.add(answer);
          return Future.succeededFuture(answer);
        }
      };

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    vertx.close();
  }

  /** Spot checks of every neighbor byte, the test's home stub standing in for another neighbor. */
  private SpotChecks checks() {
    return new SpotChecks(
        new SamplePlan(1, always),
        SIZE,
        vertx,
        home,
        new SpotChecks.Team() {
          @Override
          public SpotChecks.Checker checkerFor(int sourceId) {
            return new SpotChecks.Checker(99, false, home);
          }

          @Override
          public long cleanHistory(int sourceId) {
            return 0;
          }

          @Override
          public void caught(int sourceId, String reason) {}

          @Override
          public void settled() {}
        });
  }

  private static Buffer origin() {
    return Buffer.buffer().appendBuffer(HEAD).appendBuffer(TAIL);
  }

  private void decide(EndGate gate) {
    gate.decide(passed::add, failed::add);
  }

  /** Feeds the whole body, in order, as the session's drain does; answers the buffers written. */
  private static List<Buffer> drain(EndGate gate) {
    List<Buffer> written = new ArrayList<>();
    if (!gate.holdsBack(HEAD, HEAD.length())) {
      written.add(HEAD);
    }
    if (!gate.holdsBack(TAIL, SIZE)) {
      written.add(TAIL);
    }
    return written;
  }

  private static ReprDigest digest(Buffer of) throws Exception {
    byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(of.getBytes());
    String header = "sha-256=:" + Base64.getEncoder().encodeToString(sha256) + ":";
    return ReprDigest.of(MultiMap.caseInsensitiveMultiMap().add("Repr-Digest", header), WHOLE);
  }

  @Test
  void withoutChecksEveryByteGoesOutAtOnceAndNothingIsHeld() {
    EndGate gate = new EndGate(SIZE);

    assertThat(drain(gate)).containsExactly(HEAD, TAIL);
    decide(gate);

    assertThat(passed).containsExactly((Buffer) null);
    assertThat(failed).isEmpty();
  }

  @Test
  void theTailIsReleasedOnlyOnceEveryPendingSpotCheckHasAnswered() {
    EndGate gate = new EndGate(SIZE).spotChecking(checks());
    gate.rangeStarted(7, new ByteRange(0, 4));
    gate.rangeStarted(8, new ByteRange(5, 9));
    gate.received(7, 0, HEAD.getBuffer(0, 5));
    gate.received(8, 5, HEAD.getBuffer(5, 10));

    assertThat(drain(gate)).containsExactly(HEAD);
    decide(gate);
    assertThat(homeAnswers).hasSize(2);
    assertThat(passed).as("two checks are pending").isEmpty();

    homeAnswers.get(0).answer();
    assertThat(passed).as("one check is still pending").isEmpty();
    homeAnswers.get(1).answer();

    assertThat(passed).containsExactly(TAIL);
    assertThat(failed).isEmpty();
  }

  @Test
  void aMatchingDigestReleasesTheHeldTail() throws Exception {
    EndGate gate = new EndGate(SIZE).verifying(digest(origin()));

    assertThat(drain(gate)).containsExactly(HEAD);
    decide(gate);

    assertThat(passed).containsExactly(TAIL);
    assertThat(failed).isEmpty();
  }

  @Test
  void aDigestMismatchKeepsTheTailAndSaysWhy() throws Exception {
    EndGate gate = new EndGate(SIZE).verifying(digest(Buffer.buffer("something else")));

    assertThat(drain(gate)).containsExactly(HEAD);
    decide(gate);

    assertThat(passed).isEmpty();
    assertThat(failed)
        .singleElement()
        .asString()
        .contains("do not match the origin's Repr-Digest (sha-256)");
  }

  @Test
  void theDigestIsJudgedOnlyAfterTheSpotChecksHaveAnswered() throws Exception {
    EndGate gate =
        new EndGate(SIZE).verifying(digest(Buffer.buffer("something else"))).spotChecking(checks());
    gate.rangeStarted(7, new ByteRange(0, 9));
    gate.received(7, 0, HEAD);

    drain(gate);
    decide(gate);
    assertThat(failed).isEmpty();
    homeAnswers.get(0).answer();

    assertThat(failed).singleElement().asString().contains("Repr-Digest");
    assertThat(passed).isEmpty();
  }
}
