package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.testbed.CountingMemory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReorderBufferTest {
  private final CountingMemory memory = new CountingMemory();
  private final ReorderBuffer buffer = new ReorderBuffer(memory);

  /**
   * Random arrivals, hedged duplicates, drops and partial takes over a pool that hands freed memory
   * straight to the next piece held (one arena, no caches): a held piece read after its memory went
   * back would show another piece's bytes. Every byte taken and every view peeked is the file's.
   */
  @Test
  void overAPoolThatReusesFreedMemoryAtOnceEveryByteTakenIsTheFiles() {
    byte[] file = new byte[256 * 1024];
    Random random = new Random(12);
    random.nextBytes(file);
    PooledByteBufAllocator pool = new PooledByteBufAllocator(true, 0, 1, 8192, 4, 0, 0, false);
    for (int round = 0; round < 20; round++) {
      ReorderBuffer window = new ReorderBuffer(pool);
      byte[] taken = new byte[file.length];
      int written = 0;
      while (written < file.length) {
        int from = Math.min(file.length - 1, written + random.nextInt(32 * 1024));
        int length = Math.min(file.length - from, 1 + random.nextInt(16 * 1024));
        window.accept(from, Buffer.buffer(file).slice(from, from + length));
        if (random.nextInt(8) == 0) {
          int dropFrom = written + random.nextInt(16 * 1024);
          window.drop(dropFrom, dropFrom + random.nextInt(8 * 1024));
        }
        int peekFrom = written + random.nextInt(4 * 1024);
        List<Buffer> peeked = window.peek(peekFrom, peekFrom + 1024);
        if (peeked != null) {
          int at = peekFrom;
          for (Buffer part : peeked) {
            assertThat(part.getBytes()).isEqualTo(slice(file, at, part.length()));
            at += part.length();
          }
        }
        Buffer next = window.takeNext(written + 1 + random.nextInt(24 * 1024));
        while (next != null) {
          next.getBytes(taken, written);
          written += next.length();
          next = random.nextBoolean() ? window.takeNext() : null;
        }
        if (written < file.length && random.nextInt(4) == 0) {
          // The origin's own copy of the next bytes fills the gap, as a repair would.
          int length2 = Math.min(file.length - written, 1 + random.nextInt(8 * 1024));
          window.accept(written, Buffer.buffer(file).slice(written, written + length2));
        }
      }
      assertThat(taken).isEqualTo(file);
      window.clear();
    }
    assertThat(pool.metric().directArenas().get(0).numActiveAllocations()).isZero();
  }

  private static byte[] slice(byte[] bytes, int from, int length) {
    return java.util.Arrays.copyOfRange(bytes, from, from + length);
  }

  @Test
  void earlyBytesAreHeldOffHeapAndFreedAsTheyAreTaken() {
    buffer.accept(6, Buffer.buffer("6789"));
    buffer.accept(3, Buffer.buffer("345"));

    assertThat(memory.allocated()).hasSize(2);
    assertThat(memory.allocated()).allMatch(ByteBuf::isDirect);
    assertThat(buffer.takeNext()).as("nothing at the write position yet").isNull();

    buffer.accept(0, Buffer.buffer("012"));

    assertThat(memory.allocated()).as("bytes at the write position stay where they are").hasSize(2);
    assertThat(takeAll(buffer)).isEqualTo("0123456789");
    assertThat(memory.unfreed()).isZero();
    assertThat(buffer.held()).isZero();
    assertThat(buffer.maxHeld()).isEqualTo(10);
  }

  @Test
  void whatTakeNextAnswersOutlivesTheMemoryItCameFrom() {
    buffer.accept(2, Buffer.buffer("cdef"));
    buffer.accept(0, Buffer.buffer("ab"));
    buffer.takeNext();

    Buffer taken = buffer.takeNext();
    buffer.accept(6, Buffer.buffer("gh"));
    buffer.clear();

    assertThat(memory.unfreed()).isZero();
    assertThat(taken.toString()).isEqualTo("cdef");
  }

  @Test
  void aLimitCutsTheNextSegmentAndKeepsTheRest() {
    buffer.accept(4, Buffer.buffer("456789"));
    buffer.accept(0, Buffer.buffer("0123"));

    assertThat(buffer.takeNext(7).toString()).isEqualTo("0123");
    assertThat(buffer.takeNext(7).toString()).isEqualTo("456");
    assertThat(buffer.takeNext(7)).isNull();
    assertThat(buffer.held()).isEqualTo(3);
    assertThat(buffer.takeNext().toString()).isEqualTo("789");
    assertThat(memory.unfreed()).isZero();
  }

  @Test
  void bytesAlreadyHeldOrWrittenAreNotKeptTwice() {
    buffer.accept(0, Buffer.buffer("01"));
    buffer.takeNext();
    buffer.accept(4, Buffer.buffer("45"));

    long kept = buffer.accept(0, Buffer.buffer("01234567"));

    assertThat(kept).as("2-3 and 6-7 are new").isEqualTo(4);
    assertThat(takeAll(buffer)).isEqualTo("234567");
    assertThat(memory.unfreed()).isZero();
  }

  @Test
  void droppingInsideOneSegmentKeepsBothSidesAndFreesEverythingInTheEnd() {
    buffer.accept(2, Buffer.buffer("23456789"));
    buffer.accept(12, Buffer.buffer("CD"));

    buffer.drop(4, 7);

    assertThat(buffer.held()).isEqualTo(7);
    assertThat(joined(buffer.peek(2, 4))).isEqualTo("23");
    assertThat(joined(buffer.peek(7, 10))).isEqualTo("789");
    assertThat(buffer.peek(3, 5)).as("4 is gone").isNull();
    buffer.accept(0, Buffer.buffer("01xxxxxxxxAB"));
    assertThat(takeAll(buffer)).isEqualTo("0123xxx789ABCD");
    assertThat(memory.unfreed()).isZero();
  }

  @Test
  void droppingAcrossSegmentsTrimsTheOnesAtItsEdges() {
    buffer.accept(2, Buffer.buffer("234"));
    buffer.accept(5, Buffer.buffer("567"));
    buffer.accept(8, Buffer.buffer("89A"));

    buffer.drop(3, 10);

    assertThat(buffer.held()).isEqualTo(2);
    buffer.accept(0, Buffer.buffer("01xxxxxxxx"));
    assertThat(takeAll(buffer)).isEqualTo("012xxxxxxxA");
    assertThat(memory.unfreed()).isZero();
  }

  @Test
  void clearFreesWhatIsHeld() {
    buffer.accept(5, Buffer.buffer("56789"));
    buffer.accept(1, Buffer.buffer("1"));
    buffer.drop(6, 8);

    buffer.clear();

    assertThat(buffer.held()).isZero();
    assertThat(memory.unfreed()).isZero();
  }

  @Test
  void withoutDirectMemoryEarlyBytesStayOnTheHeap() {
    ReorderBuffer starved = new ReorderBuffer(new CountingMemory(0));

    starved.accept(3, Buffer.buffer("345"));
    starved.accept(6, Buffer.buffer("67"));
    starved.accept(0, Buffer.buffer("012"));
    starved.drop(4, 5);
    starved.accept(4, Buffer.buffer("x"));

    assertThat(takeAll(starved)).isEqualTo("0123x567");
  }

  private static String takeAll(ReorderBuffer from) {
    StringBuilder out = new StringBuilder();
    for (Buffer next = from.takeNext(); next != null; next = from.takeNext()) {
      out.append(next);
    }
    return out.toString();
  }

  private static String joined(List<Buffer> parts) {
    Buffer all = Buffer.buffer();
    parts.forEach(all::appendBuffer);
    return all.toString();
  }
}
