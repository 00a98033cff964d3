package io.bamqp.peer;

import io.netty.channel.Channel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Has the kernel wake the node once per batch of a known-length response body rather than once per
 * packet ({@code SO_RCVLOWAT}).
 *
 * <p>A line of tens of Mbit/s delivers a packet every few hundred microseconds, and each woke the
 * event loop for one read of 1.4 kB: on a router the wake-ups and reads, not the bytes, were most
 * of what relaying an origin's body cost. With a low-water mark the socket is readable once that
 * much is queued (or at the peer's end). Each wake-up still costs the relay a read, a pass through
 * the handlers, a TLS write and a flush, so the batch is as large as a byte's wait allows: what the
 * connection brings in {@link #HOLD_NANOS} (50 ms) at the rate it last delivered a body, at most
 * {@link #BATCH_BYTES} (64 KiB: 10 ms of a 50 Mbit/s line), and {@link #FIRST_BATCH_BYTES} (32 KiB)
 * until that rate is known. The rate belongs to the connection, not the body: a helper's range
 * lasts a fraction of a second, and a rate measured afresh for each would leave much of every range
 * at the first, smaller batch. It is measured over at least {@link #SAMPLE_NANOS} of a body, so a
 * slow line's batch shrinks to 50 ms of it after its first tenth of a second (a paused reader
 * lowers the rate seen, and so the batch: a smaller batch costs wake-ups, never a byte's wait). The
 * mark never exceeds what the body still owes, so the last bytes wake the reader too, and it is
 * back at 1 before the connection can carry another response.
 *
 * <p>A mark of 64 KiB keeps the socket's receive window: Linux raises a receive buffer smaller than
 * twice the mark to twice the mark and sets the window clamp to the mark, and leaves a larger
 * buffer alone. A buffer that small had a lower clamp still (a fresh connection's is 64 KiB with
 * Linux's default 128 KiB buffer, 43,690 bytes with an older 87,380), and the kernel's tuning
 * raises both later as the connection's rate asks (checked with {@code TCP_WINDOW_CLAMP} on Linux
 * 6.18).
 *
 * <p>Only the native epoll transport can set it; on Java NIO (or a connection that is not a plain
 * Vert.x one) every call does nothing. Confined to the response's event loop; the connection's
 * responses come one after another, each from the one before it.
 */
public final class ReadBatching {
  /** The largest batch: 64 KiB. */
  public static final int BATCH_BYTES = 64 * 1024;

  /** The batch until the connection's rate is known: 32 KiB. */
  static final int FIRST_BATCH_BYTES = 32 * 1024;

  /** How long a batch may take to gather at the connection's rate: 50 ms. */
  static final long HOLD_NANOS = 50_000_000L;

  /** The shortest stretch of a body its rate is measured over: 100 ms. */
  static final long SAMPLE_NANOS = 100_000_000L;

  /**
   * The largest body piece an HTTP decoder should hand over at once (its {@code maxChunkSize}): 64
   * KiB, so that a batch read is relayed as one piece, not cut into Vert.x's default 8 KiB.
   */
  public static final int DECODED_CHUNK_BYTES = 64 * 1024;

  static final IntegerUnixChannelOption SO_RCVLOWAT =
      new IntegerUnixChannelOption("SO_RCVLOWAT", 1, 18); // SOL_SOCKET, SO_RCVLOWAT (Linux)

  /** A connection's batching, kept on its channel from one response to the next. */
  private static final AttributeKey<ReadBatching> OF_CONNECTION =
      AttributeKey.valueOf(ReadBatching.class, "ofConnection");

  private static final ReadBatching OFF = new ReadBatching(null);

  private final Channel channel;
  private int mark = 1;
  private int batch = FIRST_BATCH_BYTES;
  private long sampleOwed = -1; // what the body owed when the current sample began; -1: no body
  private long sampleNanos;

  /** Batching for {@code channel}; {@code null}: the marks are only computed (tests, and off). */
  ReadBatching(Channel channel) {
    this.channel = channel;
  }

  /** Batching for {@code response}'s connection, or a no-op where the socket cannot do it. */
  public static ReadBatching of(HttpClientResponse response) {
    if (response.request().connection() instanceof ConnectionBase connection
        && isEpoll(connection.channel())) {
      Channel channel = connection.channel();
      ReadBatching batching = channel.attr(OF_CONNECTION).get();
      if (batching == null) {
        batching = new ReadBatching(channel);
        channel.attr(OF_CONNECTION).set(batching);
      }
      return batching;
    }
    return OFF;
  }

  private static boolean isEpoll(Channel channel) {
    return channel.getClass().getName().startsWith("io.netty.channel.epoll.");
  }

  /** Batching that does nothing: for a stream that is not an origin's socket. */
  public static ReadBatching off() {
    return OFF;
  }

  /** The body still owes {@code remainingBytes}: wake for a batch, or for what is left. */
  public void remaining(long remainingBytes) {
    if (channel != null) {
      remaining(remainingBytes, System.nanoTime());
    }
  }

  void remaining(long remainingBytes, long nowNanos) {
    if (sampleOwed < 0 || remainingBytes > sampleOwed) {
      sampleOwed = remainingBytes; // a new body: its first sample begins
      sampleNanos = nowNanos;
    } else if (nowNanos - sampleNanos >= SAMPLE_NANOS) {
      batch = batchBytes(sampleOwed - remainingBytes, nowNanos - sampleNanos);
      sampleOwed = remainingBytes;
      sampleNanos = nowNanos;
    }
    set((int) Math.max(1, Math.min(batch, remainingBytes)));
  }

  /** The batch for a connection that brought {@code bytes} in {@code nanos}: 50 ms of it. */
  static int batchBytes(long bytes, long nanos) {
    double perHold = (double) bytes * HOLD_NANOS / Math.max(1, nanos);
    return (int) Math.max(1, Math.min(BATCH_BYTES, perHold));
  }

  /** The body is over (or abandoned): back to waking on every byte. */
  public void done() {
    if (this == OFF) {
      return;
    }
    sampleOwed = -1;
    set(1);
  }

  /** The batch a body on this connection starts with. */
  int batch() {
    return batch;
  }

  /** The low-water mark asked for last (1: every byte wakes the reader). */
  int mark() {
    return mark;
  }

  /** Whether this socket batches at all (the native transport). */
  boolean active() {
    return channel != null;
  }

  private void set(int bytes) {
    if (bytes == mark) {
      return;
    }
    mark = bytes;
    if (channel == null) {
      return;
    }
    try {
      channel.config().setOption(SO_RCVLOWAT, bytes);
    } catch (RuntimeException closed) {
      // A socket already closed: nothing left to batch.
    }
  }
}
