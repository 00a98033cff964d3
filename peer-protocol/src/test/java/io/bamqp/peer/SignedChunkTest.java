package io.bamqp.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.peer.RogueHelper.Fault;
import io.bamqp.security.Identity;
import io.bamqp.security.TrustedPeers;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Home's chunk checks against a helper that lies: only whole verified chunks reach the reader. */
@Timeout(60)
class SignedChunkTest {
  private static final int CHUNK = PeerProtocol.CHUNK_BYTES;
  private static final Content CONTENT = Content.ofSize(4L * CHUNK);
  private static final long FIRST = 1000;

  /** Two whole chunks and half of a third. */
  private static final long LAST = FIRST + 2L * CHUNK + CHUNK / 2 - 1;

  private final PeerTestBed bed = new PeerTestBed();
  private final RogueHelper rogue =
      Await.result(
          RogueHelper.start(
              bed.vertx,
              Identity.generate(),
              TrustedPeers.of(Set.of(PeerTestBed.HOME.id())),
              CONTENT));

  @AfterEach
  void close() {
    Await.result(rogue.close());
    bed.close();
  }

  @Test
  void anHonestHelpersChunksArriveWholeAndInOrder() {
    Outcome outcome = fetch(Fault.NONE, 0);

    assertThat(outcome.failure()).isNull();
    assertThat(outcome.deliveries()).containsExactly(CHUNK, CHUNK, CHUNK / 2);
    assertThat(outcome.bytes()).isEqualTo(CONTENT.slice(FIRST, (int) (LAST - FIRST + 1)));
  }

  @Test
  void bytesAlteredAfterSigningFailTheStreamAfterTheLastGoodChunk() {
    assertMisbehaviourAfterGoodChunks(fetch(Fault.TAMPER_UNSIGNED, 1), 1, "do not hash");
  }

  @Test
  void aChunkSignedByAnotherKeyThanThePinnedHelpersFails() {
    assertMisbehaviourAfterGoodChunks(fetch(Fault.FOREIGN_SIGNATURE, 1), 1, "signature");
  }

  @Test
  void aChunkAnnouncingAnotherLengthFailsBeforeAnyOfItsBytes() {
    assertMisbehaviourAfterGoodChunks(fetch(Fault.WRONG_LENGTH, 2), 2, "announces");
  }

  @Test
  void aChunkCutShortInABodyThatEndsCleanlyFails() {
    assertMisbehaviourAfterGoodChunks(fetch(Fault.TRUNCATE, 1), 1, "ended inside chunk 1");
  }

  @Test
  void bytesAfterTheLastChunkFailTheStreamInsteadOfEndingIt() {
    Outcome outcome = fetch(Fault.EXTRA_BYTES, 0);

    assertThat(outcome.deliveries()).containsExactly(CHUNK, CHUNK, CHUNK / 2);
    assertBadChunk(outcome, "after the last chunk");
  }

  @Test
  void aHelperTricklingOneByteAtATimeFailsAfterTheChunkTimeoutWithNothingReleased() {
    Outcome outcome = fetch(Fault.TRICKLE, 0);

    assertThat(outcome.deliveries()).isEmpty();
    assertBadChunk(outcome, "no whole chunk within");
  }

  /**
   * The limit of chunk signatures: a helper that signs the bytes it altered passes every check,
   * since home has no other copy to compare with. What it gains home is proof: the chunk is bound
   * to that helper's key. Catching it is the download session's cross-check.
   */
  @Test
  void aHelperSigningBytesItAlteredPassesTheChunkCheckAndIsBoundToThem() {
    Outcome outcome = fetch(Fault.TAMPER_SIGNED, 1);

    assertThat(outcome.failure()).isNull();
    assertThat(outcome.bytes().length()).isEqualTo(LAST - FIRST + 1);
    assertThat(outcome.bytes()).isNotEqualTo(CONTENT.slice(FIRST, (int) (LAST - FIRST + 1)));
  }

  private void assertMisbehaviourAfterGoodChunks(Outcome outcome, int goodChunks, String detail) {
    assertThat(outcome.deliveries()).containsExactlyElementsOf(repeat(CHUNK, goodChunks));
    assertThat(outcome.bytes()).isEqualTo(CONTENT.slice(FIRST, goodChunks * CHUNK));
    assertBadChunk(outcome, detail);
  }

  private static void assertBadChunk(Outcome outcome, String detail) {
    assertThat(outcome.failure()).isInstanceOf(PeerException.class);
    PeerException failure = (PeerException) outcome.failure();
    assertThat(failure.code()).isEqualTo(PeerErrorCode.BAD_CHUNK);
    assertThat(failure.code().provesMisbehaviour()).isTrue();
    assertThat(failure.detail()).contains(detail);
  }

  /** What the reader of one range saw: each delivery's size, the bytes, and how it ended. */
  private record Outcome(List<Integer> deliveries, Buffer bytes, Throwable failure) {}

  private Outcome fetch(Fault fault, long chunk) {
    rogue.misbehave(fault, chunk);
    HelperLink link =
        bed.link(
            HelperLinkOptions.builder("127.0.0.1", rogue.port(), PeerTestBed.HOME, rogue.id())
                .chunkTimeout(Duration.ofMillis(4 * RogueHelper.TRICKLE_PERIOD_MILLIS))
                .build());
    RangeFetch range =
        new RangeFetch("http://origin.test/file?k=1", FIRST, LAST, CONTENT.size(), "\"v\"", null);
    Await.result(link.offer(new JobOffer("job-1", CONTENT.size(), 0)));
    return Await.result(link.fetch("job-1", range).compose(SignedChunkTest::read));
  }

  private static Future<Outcome> read(RangeStream stream) {
    Promise<Outcome> done = Promise.promise();
    List<Integer> deliveries = new ArrayList<>();
    Buffer bytes = Buffer.buffer();
    stream.exceptionHandler(e -> done.tryComplete(new Outcome(deliveries, bytes, e)));
    stream.endHandler(v -> done.tryComplete(new Outcome(deliveries, bytes, null)));
    stream.handler(
        chunk -> {
          deliveries.add(chunk.length());
          bytes.appendBuffer(chunk);
        });
    return done.future();
  }

  private static List<Integer> repeat(int value, int times) {
    List<Integer> list = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      list.add(value);
    }
    return list;
  }
}
