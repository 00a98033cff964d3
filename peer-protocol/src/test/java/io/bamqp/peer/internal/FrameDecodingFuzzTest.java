package io.bamqp.peer.internal;

import static io.bamqp.security.Fuzz.cuts;
import static io.bamqp.security.Fuzz.ints;
import static io.bamqp.security.Fuzz.longs;
import static io.bamqp.security.Fuzz.of;
import static io.bamqp.security.Fuzz.oneOf;
import static io.bamqp.security.Fuzz.split;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.peer.PeerProtocol;
import io.bamqp.peer.RangeFetch;
import io.bamqp.security.ChunkSignature;
import io.bamqp.security.Fuzz;
import io.bamqp.security.Fuzz.Gen;
import io.bamqp.security.Identity;
import io.bamqp.security.PeerId;
import io.bamqp.security.RequestSignature;
import io.bamqp.testbed.CountingMemory;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests of how home reads a helper's signed range ({@link ChunkVerifier}): honest
 * frames, and the same frames with bits flipped, bytes inserted or cut, length fields set to huge
 * values, fed in arbitrary pieces. Home releases only whole verified chunks, exactly the bytes the
 * origin has, in order; anything else fails with {@link PeerErrorCode#BAD_CHUNK}, never another
 * exception; a declared length is checked before anything is allocated for it, so at most one chunk
 * ({@link PeerProtocol#CHUNK_BYTES}) is ever held.
 */
class FrameDecodingFuzzTest {
  private static final Identity HELPER = Identity.generate();
  private static final PeerId HOME = Identity.generate().id();
  private static final String JOB = "j-fuzz";
  private static final int CHUNK = PeerProtocol.CHUNK_BYTES;

  /** Ranges of one byte, one short chunk, and a whole chunk and a bit, with honest frames. */
  private static final List<Signed> RANGES =
      List.of(
          Signed.of(new RangeFetch("http://o.example/f", 7, 7, 100, "\"v1\"", null)),
          Signed.of(new RangeFetch("http://o.example/f", 0, 999, 5000, null, "Wed, 01 Jan 2020")),
          Signed.of(
              new RangeFetch("http://o.example/f", 10, 10 + CHUNK + 99, 1L << 40, "\"v\"", null)));

  private static final Field HELD = heldField();

  /** A range, the origin's bytes for it and the helper's honest framed body. */
  record Signed(RangeFetch fetch, byte[] content, byte[] framed) {
    static Signed of(RangeFetch fetch) {
      byte[] content = new byte[(int) fetch.length()];
      new Random(fetch.first()).nextBytes(content);
      ByteArrayOutputStream framed = new ByteArrayOutputStream();
      for (long first = fetch.first(); first <= fetch.last(); first += CHUNK) {
        long last = Math.min(first + CHUNK - 1, fetch.last());
        byte[] chunk =
            Arrays.copyOfRange(
                content, (int) (first - fetch.first()), (int) (last - fetch.first() + 1));
        byte[] hash = RequestSignature.sha256(chunk);
        ChunkSignature signature =
            ChunkSignature.sign(HELPER, JOB, fetch.url(), first, last, fetch.ifRange(), hash, HOME);
        framed.writeBytes(ByteBuffer.allocate(4).putInt(chunk.length).array());
        framed.writeBytes(chunk);
        framed.writeBytes(hash);
        framed.writeBytes(signature.signature());
      }
      return new Signed(fetch, content, framed.toByteArray());
    }
  }

  /** What a range body became: the bytes released, and the failure if it failed. */
  record Outcome(byte[] released, PeerException failure) {}

  private static final Gen<Integer> RANGE_INDEXES = ints(0, RANGES.size() - 1);
  private static final Gen<List<Integer>> CUTS = cuts(8);

  record Pieces(int range, List<Integer> cuts) {}

  @Test
  void anHonestBodyInAnyPiecesReleasesExactlyTheOriginsBytes() {
    List<Pieces> edgeCases = new ArrayList<>();
    for (int range = 0; range < RANGES.size(); range++) {
      edgeCases.add(new Pieces(range, List.of()));
      edgeCases.add(new Pieces(range, List.of(0, 1, 2, 3, 4, 5)));
    }
    Fuzz.check(
        "anHonestBodyInAnyPiecesReleasesExactlyTheOriginsBytes",
        200,
        edgeCases,
        random -> new Pieces(RANGE_INDEXES.apply(random), CUTS.apply(random)),
        input -> {
          Signed signed = RANGES.get(input.range());
          Outcome outcome = decode(signed, signed.framed(), input.cuts());

          assertThat(outcome.failure()).isNull();
          assertThat(outcome.released()).isEqualTo(signed.content());
        });
  }

  record Mutated(int range, Mutation mutation, List<Integer> cuts) {}

  @Test
  void aMutatedBodyReleasesOnlyVerifiedChunksAndFailsAsBadChunk() {
    Gen<Integer> values =
        oneOf(
            ints(Integer.MIN_VALUE, Integer.MAX_VALUE),
            of(-1, Integer.MAX_VALUE, Integer.MIN_VALUE, CHUNK + 1, CHUNK, 0, 1, 999));
    Gen<Mutation> mutations =
        random ->
            new Mutation(
                ints(0, 4).apply(random),
                ints(Integer.MIN_VALUE, Integer.MAX_VALUE).apply(random),
                values.apply(random));
    List<Mutated> edgeCases = new ArrayList<>();
    for (int range = 0; range < RANGES.size(); range++) {
      for (int kind = 0; kind <= 4; kind++) {
        edgeCases.add(new Mutated(range, new Mutation(kind, 0, -1), List.of()));
        edgeCases.add(new Mutated(range, new Mutation(kind, -1, CHUNK + 1), List.of()));
      }
    }
    Fuzz.check(
        "aMutatedBodyReleasesOnlyVerifiedChunksAndFailsAsBadChunk",
        500,
        edgeCases,
        random ->
            new Mutated(RANGE_INDEXES.apply(random), mutations.apply(random), CUTS.apply(random)),
        input -> {
          Signed signed = RANGES.get(input.range());
          byte[] body = input.mutation().apply(signed.framed());
          Outcome outcome = decode(signed, body, input.cuts());

          byte[] released = outcome.released();
          // Whole chunks only, each the origin's own bytes at its place.
          assertThat(released.length % CHUNK == 0 || released.length == signed.content().length)
              .as("released %d bytes", released.length)
              .isTrue();
          assertThat(released).isEqualTo(Arrays.copyOf(signed.content(), released.length));
          if (Arrays.equals(body, signed.framed())) {
            assertThat(outcome.failure()).isNull();
          } else {
            assertThat(outcome.failure()).as("a changed body must fail").isNotNull();
          }
          if (outcome.failure() != null) {
            assertThat(outcome.failure().code()).isEqualTo(PeerErrorCode.BAD_CHUNK);
            assertThat(outcome.failure().code().provesMisbehaviour()).isTrue();
          }
        });
  }

  record Declared(int range, long length) {}

  @Test
  void aHugeDeclaredLengthIsRefusedBeforeAnythingIsAllocatedForIt() {
    List<Long> huge = List.of(0xFFFF_FFFFL, 0x7FFF_FFFFL, 0x8000_0000L, (long) CHUNK + 1, 0L, 2L);
    Gen<Long> lengths =
        random -> {
          long length;
          do {
            length = oneOf(of(huge), longs(0, 0xFFFF_FFFFL)).apply(random);
          } while (length == 1 || length == 1000 || length == CHUNK);
          return length;
        };
    List<Declared> edgeCases = new ArrayList<>();
    for (int range = 0; range < RANGES.size(); range++) {
      for (long length : huge) {
        edgeCases.add(new Declared(range, length));
      }
    }
    Fuzz.check(
        "aHugeDeclaredLengthIsRefusedBeforeAnythingIsAllocatedForIt",
        300,
        edgeCases,
        random -> new Declared(RANGE_INDEXES.apply(random), lengths.apply(random)),
        input -> {
          Signed signed = RANGES.get(input.range());
          long declared = input.length();
          ChunkVerifier verifier = new ChunkVerifier(JOB, signed.fetch(), HELPER.key(), HOME);
          Buffer header = Buffer.buffer().appendUnsignedInt(declared);

          try {
            verifier.decode(header, bytes -> fail("released bytes of a refused chunk"));
            fail(
                "a length of %d for a chunk of %d bytes was accepted",
                declared, expectedLength(signed));
          } catch (PeerException refused) {
            assertThat(refused.code()).isEqualTo(PeerErrorCode.BAD_CHUNK);
            assertThat(refused.detail()).contains("announces " + declared + " bytes");
          }
          assertThat(HELD.get(verifier))
              .as("a buffer was allocated for the refused chunk")
              .isNull();
        });
  }

  private static long expectedLength(Signed signed) {
    return Math.min(CHUNK, signed.fetch().length());
  }

  /**
   * Decodes {@code body} fed in pieces cut at {@code cuts}, then closes the decoder as the stream
   * does when it is done: whatever the outcome, the memory it held is freed.
   */
  private static Outcome decode(Signed signed, byte[] body, List<Integer> cuts) throws Exception {
    CountingMemory memory = new CountingMemory();
    ChunkVerifier verifier = new ChunkVerifier(JOB, signed.fetch(), HELPER.key(), HOME, memory);
    ByteArrayOutputStream released = new ByteArrayOutputStream();
    try {
      for (byte[] piece : split(body, cuts)) {
        verifier.decode(Buffer.buffer(piece), chunk -> released.writeBytes(chunk.getBytes()));
        ByteBuf held = (ByteBuf) HELD.get(verifier);
        assertThat(held == null ? 0 : held.capacity()).isLessThanOrEqualTo(CHUNK);
      }
      verifier.end();
      return new Outcome(released.toByteArray(), null);
    } catch (PeerException failure) {
      return new Outcome(released.toByteArray(), failure);
    } finally {
      verifier.close();
      assertThat(memory.allocated()).as("one buffer for the range, at most").hasSizeLessThan(2);
      if (released.size() > 0) {
        assertThat(memory.allocated()).as("the chunks released were held in it").hasSize(1);
      }
      assertThat(memory.unfreed()).as("buffers not freed by close()").isZero();
    }
  }

  private static Field heldField() {
    try {
      Field field = ChunkVerifier.class.getDeclaredField("held");
      field.setAccessible(true);
      return field;
    } catch (NoSuchFieldException e) {
      throw new AssertionError(e);
    }
  }

  /** One change to an honest body. */
  record Mutation(int kind, int where, int value) {
    byte[] apply(byte[] body) {
      int at = Math.floorMod(where, body.length);
      byte[] copy = body.clone();
      switch (kind) {
        case 0 -> copy[at] ^= (byte) (1 << (value & 7));
        case 1 -> {
          return Arrays.copyOf(body, at);
        }
        case 2 -> {
          byte[] longer = Arrays.copyOf(body, body.length + 1);
          System.arraycopy(body, at, longer, at + 1, body.length - at);
          longer[at] = (byte) value;
          return longer;
        }
        case 3 -> {
          // A frame's length field (at 0, or after the first whole frame) set to another value.
          int header =
              at < 4 + CHUNK + PeerProtocol.FRAME_TRAILER_BYTES || body.length <= 4 + CHUNK + 96
                  ? 0
                  : 4 + CHUNK + PeerProtocol.FRAME_TRAILER_BYTES;
          ByteBuffer.wrap(copy, header, 4).putInt(value);
        }
        default -> {
          return concat(body, new byte[] {(byte) value});
        }
      }
      return copy;
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
