package io.bamqp.peer.internal;

import static io.bamqp.security.Fuzz.ints;
import static io.bamqp.security.Fuzz.of;
import static io.bamqp.security.Fuzz.oneOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.peer.PeerProtocol;
import io.bamqp.security.Fuzz;
import io.bamqp.security.Fuzz.Gen;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests of how a message body is read: whatever the pieces a peer sends, a body of
 * at most {@link PeerProtocol#MAX_MESSAGE_BYTES} arrives whole, and a longer one fails with {@link
 * PeerErrorCode#MESSAGE_TOO_LARGE} as soon as it passes the limit, the stream paused and nothing
 * more collected.
 */
class BoundedBodyFuzzTest {
  private static final int MAX = PeerProtocol.MAX_MESSAGE_BYTES;

  @Test
  void aBodyWithinTheLimitArrivesWholeAndALongerOneIsCutOffAtTheLimit() {
    Gen<List<Integer>> pieceSizes = oneOf(ints(1, 64), ints(1, MAX), of(MAX, MAX + 1)).list(0, 40);
    Fuzz.check(
        "aBodyWithinTheLimitArrivesWholeAndALongerOneIsCutOffAtTheLimit",
        500,
        List.of(
            List.of(),
            List.of(MAX),
            List.of(MAX + 1),
            List.of(MAX - 1, 1),
            List.of(MAX, 1),
            List.of(1, MAX)),
        pieceSizes,
        BoundedBodyFuzzTest::readsWholeOrCutsOff);
  }

  private static void readsWholeOrCutsOff(List<Integer> sizes) {
    ScriptedStream stream = new ScriptedStream();
    Future<Buffer> body = BoundedBody.read(stream, MAX, PeerErrorCode.MESSAGE_TOO_LARGE);
    long sent = 0;
    long total = sizes.stream().mapToLong(Integer::longValue).sum();
    for (int size : sizes) {
      if (stream.handler == null) {
        break; // refused: the reader let go of the stream
      }
      assertThat(stream.paused).isFalse();
      stream.handler.handle(Buffer.buffer(new byte[size]).setByte(0, (byte) (sent % 127)));
      sent += size;
    }
    if (stream.endHandler != null && !body.isComplete()) {
      stream.endHandler.handle(null);
    }

    assertThat(body.isComplete()).isTrue();
    if (total <= MAX) {
      assertThat(body.succeeded()).isTrue();
      assertThat(body.result().length()).isEqualTo(total);
    } else {
      assertThat(body.failed()).isTrue();
      assertThat(body.cause())
          .isInstanceOfSatisfying(
              PeerException.class,
              e -> assertThat(e.code()).isEqualTo(PeerErrorCode.MESSAGE_TOO_LARGE));
      assertThat(stream.paused).isTrue();
      assertThat(stream.handler).isNull();
    }
  }

  /** A stream the test feeds by hand, remembering what the reader asked of it. */
  private static final class ScriptedStream implements ReadStream<Buffer> {
    Handler<Buffer> handler;
    Handler<Void> endHandler;
    boolean paused = true;

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
      this.handler = handler;
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      paused = true;
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      paused = false;
      return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      paused = false;
      return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
      this.endHandler = endHandler;
      return this;
    }
  }
}
