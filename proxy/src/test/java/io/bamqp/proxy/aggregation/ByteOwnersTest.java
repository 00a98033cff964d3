package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Who sent which held bytes, and the reorder buffer's view of a piece. */
@Timeout(10)
class ByteOwnersTest {
  private static final int HOME = ByteOwners.HOME;

  @Test
  void touchingSpansOfOneSourceMergeAndOthersStayApart() {
    ByteOwners owners = new ByteOwners();
    owners.kept(HOME, 0, 100);
    owners.kept(HOME, 100, 200);
    owners.kept(7, 200, 300);
    owners.kept(7, 400, 500);
    owners.kept(7, 300, 400);

    assertThat(owners.within(0, 1000))
        .containsExactly(new ByteOwners.Span(0, 200, HOME), new ByteOwners.Span(200, 500, 7));
    assertThat(owners.within(150, 250))
        .containsExactly(new ByteOwners.Span(150, 200, HOME), new ByteOwners.Span(200, 250, 7));
  }

  @Test
  void droppingCutsSpansAtItsBounds() {
    ByteOwners owners = new ByteOwners();
    owners.kept(7, 0, 1000);
    owners.dropped(200, 300);
    owners.kept(HOME, 200, 300);

    assertThat(owners.within(0, 1000))
        .containsExactly(
            new ByteOwners.Span(0, 200, 7),
            new ByteOwners.Span(200, 300, HOME),
            new ByteOwners.Span(300, 1000, 7));
    owners.dropped(100, 400);
    assertThat(owners.within(0, 1000))
        .containsExactly(new ByteOwners.Span(0, 100, 7), new ByteOwners.Span(400, 1000, 7));
  }

  @Test
  void theFirstNeighborByteIsWhereThePendingGateHolds() {
    ByteOwners owners = new ByteOwners();
    owners.kept(HOME, 0, 500);
    owners.kept(7, 800, 900);

    assertThat(owners.firstNeighborFrom(0)).isEqualTo(800);
    assertThat(owners.firstNeighborFrom(850)).isEqualTo(850);
    assertThat(owners.firstNeighborFrom(900)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void whatIsNotFromAnOwnerIsTheGapsAndTheOthersSpans() {
    ByteOwners owners = new ByteOwners();
    owners.kept(HOME, 100, 200);
    owners.kept(7, 200, 300);
    owners.kept(HOME, 400, 500);

    assertThat(owners.notFrom(HOME, 0, 600))
        .containsExactly(new long[] {0, 100}, new long[] {200, 400}, new long[] {500, 600});
    assertThat(owners.notFrom(HOME, 150, 450)).containsExactly(new long[] {200, 400});
    assertThat(owners.notFrom(HOME, 120, 180)).isEmpty();
    assertThat(owners.notFrom(7, 250, 350)).containsExactly(new long[] {300, 350});
  }

  @Test
  void whatAPieceHashProvedIsNotUnproven() {
    ByteOwners owners = new ByteOwners();
    owners.kept(7, 0, 1000);
    owners.kept(8, 1000, 2000);

    assertThat(owners.unproven(7, 256, 768))
        .containsExactly(new long[] {0, 256}, new long[] {768, 1000});
    assertThat(owners.unproven(8, 0, 1500)).containsExactly(new long[] {1500, 2000});
  }

  @Test
  void peekGivesAHeldPieceAcrossSegmentsWithoutTakingIt() {
    ReorderBuffer buffer = new ReorderBuffer();
    Buffer bytes = Buffer.buffer("0123456789");
    buffer.accept(0, bytes.slice(0, 4));
    buffer.accept(4, bytes.slice(4, 10));
    buffer.accept(20, Buffer.buffer("x"));

    List<Buffer> piece = buffer.peek(2, 7);

    Buffer joined = Buffer.buffer();
    piece.forEach(joined::appendBuffer);
    assertThat(joined.toString()).isEqualTo("23456");
    assertThat(buffer.peek(8, 12)).as("a gap").isNull();
    assertThat(buffer.peek(12, 21)).as("nothing at its start").isNull();
    assertThat(buffer.takeNext().toString()).isEqualTo("0123");
    buffer.clear(); // frees what it holds off the heap, as a session's stop does
  }

  @Test
  void acceptTellsWhichSpansItKept() {
    ReorderBuffer buffer = new ReorderBuffer();
    ByteOwners owners = new ByteOwners();
    buffer.accept(10, Buffer.buffer("abcde"), (from, to) -> owners.kept(HOME, from, to));
    buffer.accept(5, Buffer.buffer("0123456789xyz"), (from, to) -> owners.kept(7, from, to));

    assertThat(owners.within(0, 100))
        .containsExactly(
            new ByteOwners.Span(5, 10, 7),
            new ByteOwners.Span(10, 15, HOME),
            new ByteOwners.Span(15, 18, 7));
    buffer.clear();
  }
}
