package io.bamqp.peer.internal;

import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.peer.PeerProtocol;
import io.bamqp.peer.RangeFetch;
import io.bamqp.security.ChunkSignature;
import io.bamqp.security.PeerId;
import io.bamqp.security.PeerKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads a signed range (frames of {@code length | bytes | sha256 | signature}, see {@link
 * PeerProtocol#CHUNK_BYTES}) and releases each chunk only once whole and verified: its announced
 * length is the one its offsets imply, its bytes hash to the SHA-256 sent, and the pinned helper's
 * signature covers the job, URL, offsets, validator, that hash and this home. Holds at most one
 * chunk. Every violation is {@link PeerErrorCode#BAD_CHUNK} naming the chunk and the check.
 *
 * <p>The chunk being read is held off the Java heap, in one direct buffer per range from Netty's
 * default allocator (the node's pool) that {@link #close()} gives back, and copied to the heap only
 * when verified, on its way to the reader. A chunk takes a helper's line 40-80 ms to arrive and a
 * link has one in flight nearly all the time; in the heap, young collections kept finding one live
 * and copied or promoted it, and the old generation filled with bytes already delivered (a full
 * collection every few seconds).
 */
final class ChunkVerifier implements RangeDecoder {
  private enum Part {
    LENGTH,
    BYTES,
    TRAILER,
    DONE
  }

  private static final int HASH_BYTES = 32;

  private final String jobId;
  private final RangeFetch fetch;
  private final PeerKey helper;
  private final PeerId home;
  private final MessageDigest sha256 = Sha256.digest();
  private final long chunks;
  private final ByteBufAllocator memory;

  private Part part = Part.LENGTH;
  private long index;
  private long chunkFirst;
  private int chunkLength;
  private Buffer frame = Buffer.buffer(PeerProtocol.FRAME_TRAILER_BYTES);
  private ByteBuf held; // the chunk being read; allocated at the first chunk, reused for the next
  private boolean closed;

  ChunkVerifier(String jobId, RangeFetch fetch, PeerKey helper, PeerId home) {
    this(jobId, fetch, helper, home, ByteBufAllocator.DEFAULT);
  }

  /**
   * @param memory where the chunk being read is held (direct buffers)
   */
  ChunkVerifier(
      String jobId, RangeFetch fetch, PeerKey helper, PeerId home, ByteBufAllocator memory) {
    this.memory = memory;
    this.jobId = jobId;
    this.fetch = fetch;
    this.helper = helper;
    this.home = home;
    this.chunkFirst = fetch.first();
    this.chunks = PeerProtocol.chunkCount(fetch.first(), fetch.last());
  }

  @Override
  public void decode(Buffer bytes, Consumer<Buffer> release) throws PeerException {
    if (closed) {
      throw new IllegalStateException("decoding a closed range");
    }
    int at = 0;
    while (at < bytes.length()) {
      switch (part) {
        case LENGTH -> at = take(bytes, at, PeerProtocol.FRAME_HEADER_BYTES);
        case BYTES -> {
          int n = Math.min(chunkLength - held.readableBytes(), bytes.length() - at);
          ByteBuf source = ((BufferInternal) bytes).getByteBuf();
          held.writeBytes(source, source.readerIndex() + at, n);
          Sha256.update(sha256, bytes, at, at + n);
          at += n;
        }
        case TRAILER -> at = take(bytes, at, PeerProtocol.FRAME_TRAILER_BYTES);
        case DONE ->
            throw bad(
                (bytes.length() - at) + " bytes after the last chunk (" + chunks + " chunks)");
      }
      advance(release);
    }
  }

  @Override
  public void end() throws PeerException {
    if (part != Part.DONE) {
      throw bad("the body ended inside chunk " + index + " (" + progress() + ")");
    }
  }

  @Override
  public String progress() {
    return part == Part.DONE
        ? "all " + chunks + " chunks"
        : "chunk "
            + index
            + " of "
            + chunks
            + ", "
            + (held == null ? 0 : held.readableBytes())
            + " bytes held";
  }

  private int take(Buffer bytes, int at, int want) {
    int n = Math.min(want - frame.length(), bytes.length() - at);
    frame.appendBuffer(bytes, at, n);
    return at + n;
  }

  private void advance(Consumer<Buffer> release) throws PeerException {
    if (part == Part.LENGTH && frame.length() == PeerProtocol.FRAME_HEADER_BYTES) {
      long expected = Math.min(PeerProtocol.CHUNK_BYTES, fetch.last() - chunkFirst + 1);
      long announced = frame.getUnsignedInt(0);
      if (announced != expected) {
        throw bad("chunk " + index + " announces " + announced + " bytes, not " + expected);
      }
      chunkLength = (int) expected;
      if (held == null) {
        held = allocate(chunkLength); // the first chunk is the range's largest
      }
      held.clear();
      sha256.reset();
      frame = Buffer.buffer(PeerProtocol.FRAME_TRAILER_BYTES);
      part = Part.BYTES;
    } else if (part == Part.BYTES && held.readableBytes() == chunkLength) {
      part = Part.TRAILER;
    } else if (part == Part.TRAILER && frame.length() == PeerProtocol.FRAME_TRAILER_BYTES) {
      release.accept(verified());
    }
  }

  private Buffer verified() throws PeerException {
    long last = chunkFirst + chunkLength - 1;
    byte[] hash = sha256.digest();
    String which = "chunk " + index + " (bytes " + chunkFirst + "-" + last + ")";
    if (!Arrays.equals(hash, frame.getBytes(0, HASH_BYTES))) {
      throw bad(which + ": its bytes do not hash to the SHA-256 the helper sent");
    }
    byte[] signature = frame.getBytes(HASH_BYTES, PeerProtocol.FRAME_TRAILER_BYTES);
    ChunkSignature claimed =
        new ChunkSignature(
            jobId, fetch.url(), chunkFirst, last, fetch.ifRange(), hash, home, signature);
    if (!claimed.isSignedBy(helper)) {
      throw bad(
          which
              + ": the signature is not helper "
              + helper.id()
              + "'s over this job, URL, offsets, validator, hash and home");
    }
    Buffer chunk = Buffer.buffer(chunkLength);
    chunk.setBytes(0, held.nioBuffer(0, chunkLength));
    held.clear();
    frame = Buffer.buffer(PeerProtocol.FRAME_HEADER_BYTES);
    chunkFirst = last + 1;
    index++;
    part = index == chunks ? Part.DONE : Part.LENGTH;
    return chunk;
  }

  private ByteBuf allocate(int length) {
    try {
      return memory.directBuffer(length);
    } catch (OutOfMemoryError noDirectMemory) {
      return Unpooled.buffer(length); // the heap, as before: placement only, the bytes are the same
    }
  }

  @Override
  public void close() {
    closed = true;
    if (held != null) {
      held.release();
      held = null;
    }
  }

  private static PeerException bad(String detail) {
    return new PeerException(PeerErrorCode.BAD_CHUNK, detail);
  }
}
