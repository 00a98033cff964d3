package io.bamqp.peer;

import io.netty.channel.Channel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Has the kernel wake the node once per batch of a known-length response body rather than once per
 * packet ({@code SO_RCVLOWAT}).
 *
 * <p>A line of tens of Mbit/s delivers a packet every few hundred microseconds, and each woke the
 * event loop for one read of 1.4 kB: on a router the wake-ups and reads, not the bytes, were most
 * of what relaying an origin's body cost. With a low-water mark the socket is readable once that
 * much is queued (or at the peer's end). A batch is what the body brought in {@link #HOLD_NANOS} at
 * the rate it came over the last {@link #SAMPLE_NANOS} or more, at most {@link #BATCH_BYTES} (64
 * KiB: 10 ms of a 50 Mbit/s line), and {@link #FIRST_BATCH_BYTES} until that rate is known; so a
 * byte waits about 100 ms at most on a slow line, never the seconds a fixed batch would make it
 * wait there (a source silent for a second counts as stalled). A pause of the reader lowers the
 * rate seen, and so the batch, until the next sample. The mark never exceeds what the body still
 * owes, so the last bytes wake the reader too, and it is back at 1 before the connection can carry
 * another response.
 *
 * <p>Only the native epoll transport can set it; on Java NIO (or a connection that is not a plain
 * Vert.x one) every call does nothing. Confined to the response's event loop.
 */
public final class ReadBatching {
  /** The largest batch: 64 KiB. */
  public static final int BATCH_BYTES = 64 * 1024;

  /** The batch until the body's rate is known: 16 KiB. */
  static final int FIRST_BATCH_BYTES = 16 * 1024;

  /** How long a batch may take to gather at the body's recent rate: 100 ms. */
  static final long HOLD_NANOS = 100_000_000L;

  /** The shortest time the rate is measured over: 100 ms. */
  static final long SAMPLE_NANOS = 100_000_000L;

  /**
   * The largest body piece an HTTP decoder should hand over at once (its {@code maxChunkSize}): 64
   * KiB, so that a batch read is relayed as one piece, not cut into Vert.x's default 8 KiB.
   */
  public static final int DECODED_CHUNK_BYTES = 64 * 1024;

  static final IntegerUnixChannelOption SO_RCVLOWAT =
      new IntegerUnixChannelOption("SO_RCVLOWAT", 1, 18); // SOL_SOCKET, SO_RCVLOWAT (Linux)

  private static final ReadBatching OFF = new ReadBatching(null);

  private final Channel channel;
  private int mark = 1;
  private int batch = FIRST_BATCH_BYTES;
  private long sampleOwed = -1; // what the body owed when the current rate sample began; -1: none
  private long sampleNanos;

  /** Batching for {@code channel}; {@code null}: the marks are only computed (tests). */
  ReadBatching(Channel channel) {
    this.channel = channel;
  }

  /** Batching for {@code response}'s connection, or a no-op where the socket cannot do it. */
  public static ReadBatching of(HttpClientResponse response) {
    if (response.request().connection() instanceof ConnectionBase connection
        && isEpoll(connection.channel())) {
      return new ReadBatching(connection.channel());
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
      sampleOwed = remainingBytes;
      sampleNanos = nowNanos;
      batch = FIRST_BATCH_BYTES;
    } else if (nowNanos - sampleNanos >= SAMPLE_NANOS) {
      batch = batchBytes(sampleOwed - remainingBytes, nowNanos - sampleNanos);
      sampleOwed = remainingBytes;
      sampleNanos = nowNanos;
    }
    set((int) Math.max(1, Math.min(batch, remainingBytes)));
  }

  /**
   * The batch for a body that brought {@code bytes} in {@code nanos}: {@link #HOLD_NANOS} of it.
   */
  static int batchBytes(long bytes, long nanos) {
    double perHold = (double) bytes * HOLD_NANOS / Math.max(1, nanos);
    return (int) Math.max(1, Math.min(BATCH_BYTES, perHold));
  }

  /** The body is over (or abandoned): back to waking on every byte. */
  public void done() {
    if (this != OFF) {
      sampleOwed = -1;
      set(1);
    }
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
