package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.testbed.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The piece gate when the hashes come while the body flows: no hash covers the bytes between the
 * client's position and the first whole piece, so from then on they come over the home line only, a
 * neighbor's range in flight included.
 */
@Timeout(30)
class PieceGateTest {
  private static final int PIECE = 256;
  private static final int SIZE = 4 * PIECE;
  private static final int NEIGHBOR = 7;

  private final Vertx vertx = Vertx.vertx();
  private final ReorderBuffer buffer = new ReorderBuffer();
  private final List<long[]> refetched = new CopyOnWriteArrayList<>();
  private final Promise<Void> settled = Promise.promise();
  private final Promise<Metalink.Pieces> known = Promise.promise();
  private final Buffer file = file();
  private PieceGate gate;

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void aNeighborsBytesBeforeTheFirstWholePieceAreRefusedOnceTheHashesAreKnown() throws Exception {
    open();
    gate.accept(ByteOwners.HOME, 0, file.slice(0, 100));
    assertThat(buffer.takeNext().length()).isEqualTo(100);
    gate.accept(ByteOwners.HOME, 120, file.slice(120, 140));
    gate.accept(NEIGHBOR, 150, file.slice(150, 200));

    know();

    // The whole of [100, 256) but what the home line brought: the neighbor's held bytes too.
    assertThat(refetched).containsExactly(new long[] {100, 120}, new long[] {140, 256});
    assertThat(buffer.held()).isEqualTo(20);
    // A range in flight goes on: its bytes before the first whole piece are refused, the rest kept.
    assertThat(gate.accept(NEIGHBOR, 200, file.slice(200, 256))).isZero();
    assertThat(gate.accept(NEIGHBOR, 230, file.slice(230, 300))).isEqualTo(300 - 256);
    assertThat(buffer.peek(200, 256)).isNull();
    assertThat(buffer.peek(256, 300)).isNotNull();
    // The home line's bytes are kept there as ever.
    assertThat(gate.accept(ByteOwners.HOME, 100, file.slice(100, 256))).isEqualTo(156 - 20);
  }

  @Test
  void withTheClientOnAPieceBoundaryNothingIsRefusedOrFetchedAgain() throws Exception {
    open();
    gate.accept(ByteOwners.HOME, 0, file.slice(0, PIECE));
    assertThat(buffer.takeNext().length()).isEqualTo(PIECE);

    know();

    assertThat(refetched).isEmpty();
    assertThat(gate.accept(NEIGHBOR, PIECE, file.slice(PIECE, 2 * PIECE))).isEqualTo(PIECE);
    assertThat(gate.holdFrom(PIECE)).as("the piece checked and released").isEqualTo(2 * PIECE);
  }

  @Test
  void beforeTheHashesAreKnownANeighborsBytesAreKeptAndHoldTheClient() {
    open();
    gate.accept(ByteOwners.HOME, 0, file.slice(0, 100));
    assertThat(gate.accept(NEIGHBOR, 100, file.slice(100, 200))).isEqualTo(100);

    assertThat(gate.holdFrom(0)).isEqualTo(100);
  }

  private void open() {
    gate =
        new PieceGate(
            vertx,
            known.future(),
            buffer,
            homeLine(),
            4L * PIECE,
            new PieceGate.Team() {
              @Override
              public void caught(int sourceId, String detail) {
                throw new AssertionError("caught " + sourceId + ": " + detail);
              }

              @Override
              public void refetch(long from, long to) {
                refetched.add(new long[] {from, to});
                gate.drop(from, to);
              }

              @Override
              public void failed(String reason) {
                throw new AssertionError(reason);
              }

              @Override
              public void settled() {
                settled.tryComplete();
              }
            });
  }

  /** Completes the hashes and waits for the gate to take them (on its event loop). */
  private void know() throws Exception {
    List<byte[]> hashes = new ArrayList<>();
    for (int at = 0; at < SIZE; at += PIECE) {
      hashes.add(MessageDigest.getInstance("SHA-256").digest(file.getBytes(at, at + PIECE)));
    }
    known.complete(new Metalink.Pieces("sha-256", PIECE, SIZE, hashes));
    Await.result(settled.future());
  }

  private static ByteSource homeLine() {
    return new ByteSource() {
      @Override
      public String name() {
        return "home";
      }

      @Override
      public Future<Flow> open(io.bamqp.planner.ByteRange range) {
        return Future.failedFuture("the home line is not used here");
      }
    };
  }

  private static Buffer file() {
    Buffer file = Buffer.buffer(SIZE);
    for (int i = 0; i < SIZE; i++) {
      file.appendByte((byte) (i * 31 + 7));
    }
    return file;
  }
}
