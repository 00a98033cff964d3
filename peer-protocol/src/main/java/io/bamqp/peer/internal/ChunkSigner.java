package io.bamqp.peer.internal;

import io.bamqp.peer.PeerProtocol;
import io.bamqp.peer.RangeFetch;
import io.bamqp.security.ChunkSignature;
import io.bamqp.security.Identity;
import io.bamqp.security.PeerId;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.security.MessageDigest;

/**
 * Frames a range as it is relayed: before each chunk of {@link PeerProtocol#CHUNK_BYTES} its length
 * (4 bytes), then its bytes as they come from the origin, then its SHA-256 and this helper's
 * signature ({@link ChunkSignature}) once its last byte has passed. Nothing is held here: the hash
 * is updated on the way. Pause, resume and failures are the source's. Confined to the helper's
 * event loop.
 */
final class ChunkSigner implements ReadStream<Buffer> {
  private final ReadStream<Buffer> source;
  private final Identity helper;
  private final String jobId;
  private final RangeFetch fetch;
  private final PeerId home;
  private final MessageDigest sha256 = Sha256.digest();

  private Handler<Buffer> handler;
  private long next;
  private long chunkFirst;
  private long chunkLeft;

  ChunkSigner(
      ReadStream<Buffer> source, Identity helper, String jobId, RangeFetch fetch, PeerId home) {
    this.source = source;
    this.helper = helper;
    this.jobId = jobId;
    this.fetch = fetch;
    this.home = home;
    this.next = fetch.first();
  }

  @Override
  public ChunkSigner handler(Handler<Buffer> handler) {
    this.handler = handler;
    source.handler(handler == null ? null : this::onData);
    return this;
  }

  @Override
  public ChunkSigner exceptionHandler(Handler<Throwable> handler) {
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public ChunkSigner endHandler(Handler<Void> handler) {
    source.endHandler(handler);
    return this;
  }

  @Override
  public ChunkSigner pause() {
    source.pause();
    return this;
  }

  @Override
  public ChunkSigner resume() {
    source.resume();
    return this;
  }

  @Override
  public ChunkSigner fetch(long amount) {
    source.fetch(amount);
    return this;
  }

  private void onData(Buffer data) {
    Handler<Buffer> out = handler;
    int at = 0;
    while (at < data.length()) {
      if (chunkLeft == 0) {
        chunkFirst = next;
        chunkLeft = Math.min(PeerProtocol.CHUNK_BYTES, fetch.last() - next + 1);
        sha256.reset();
        out.handle(Buffer.buffer(PeerProtocol.FRAME_HEADER_BYTES).appendInt((int) chunkLeft));
      }
      int n = (int) Math.min(chunkLeft, data.length() - at);
      // A view, not a copy: the relay hands each origin buffer on once and never reuses it.
      Buffer slice = at == 0 && n == data.length() ? data : data.slice(at, at + n);
      Sha256.update(sha256, data, at, at + n);
      at += n;
      next += n;
      chunkLeft -= n;
      out.handle(slice);
      if (chunkLeft == 0) {
        byte[] hash = sha256.digest();
        ChunkSignature signature =
            ChunkSignature.sign(
                helper, jobId, fetch.url(), chunkFirst, next - 1, fetch.ifRange(), hash, home);
        out.handle(Buffer.buffer(hash).appendBytes(signature.signature()));
      }
    }
  }
}
