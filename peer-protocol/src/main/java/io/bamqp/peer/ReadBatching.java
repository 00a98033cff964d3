package io.bamqp.peer;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Has the kernel wake the node once per {@link #BATCH_BYTES} of a known-length response body rather
 * than once per packet ({@code SO_RCVLOWAT}).
 *
 * <p>A line of tens of Mbit/s delivers a packet every few hundred microseconds, and each woke the
 * event loop for one read of 1.4 kB: on a router the wake-ups and reads, not the bytes, were most
 * of what relaying an origin's body cost. With the low-water mark at 32 KiB the socket is readable
 * once that much is queued (or at the peer's end), which adds at most 32 KiB of a line's time (5 ms
 * at 50 Mbit/s) to a byte's way. The mark never exceeds what the body still owes, so the last bytes
 * wake the reader too, and it is back at 1 before the connection can carry another response.
 *
 * <p>A batch is read into a buffer of {@link #READ_BUFFERS}, not of Netty's default allocator: with
 * less than 512 MiB of heap (every node: {@code jvm.options}) that allocator pools buffers of at
 * most 16.5 KiB, so each read of a batch (32-64 KiB) got a direct buffer of its own, zeroed, mapped
 * and unmapped again (glibc maps every block of 32 KiB or more): 13% of a helper's event-loop
 * samples, in the zeroing, the kernel's page faults and unmaps (perf on bench/cost.sh's test bed,
 * 2026-12-02; BENCHMARKS.md).
 *
 * <p>Only the native epoll transport can set it; on Java NIO (or a connection that is not a plain
 * Vert.x one) every call does nothing. Confined to the response's event loop.
 */
public final class ReadBatching {
  /** Bytes queued before the socket counts as readable: 32 KiB. */
  public static final int BATCH_BYTES = 32 * 1024;

  /**
   * The largest body piece an HTTP decoder should hand over at once (its {@code maxChunkSize}): 64
   * KiB, so that a batch read is relayed as one piece, not cut into Vert.x's default 8 KiB.
   */
  public static final int DECODED_CHUNK_BYTES = 64 * 1024;

  /**
   * Where a batched socket's reads land, for the connection's life: Netty's pooled allocator with
   * one arena of 1 MiB chunks (8 KiB pages, order 7) and no per-thread caches, so what it holds is
   * the chunks the reads in flight need, a read buffer costs no zeroing, mapping or unmapping, and
   * its pages are reused.
   */
  static final ByteBufAllocator READ_BUFFERS =
      new PooledByteBufAllocator(true, 0, 1, 8192, 7, 0, 0, false);

  static final IntegerUnixChannelOption SO_RCVLOWAT =
      new IntegerUnixChannelOption("SO_RCVLOWAT", 1, 18); // SOL_SOCKET, SO_RCVLOWAT (Linux)

  private static final ReadBatching OFF = new ReadBatching(null);

  private final Channel channel;
  private int mark = 1;

  private ReadBatching(Channel channel) {
    this.channel = channel;
    if (channel != null) {
      channel.config().setAllocator(READ_BUFFERS);
    }
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
    set((int) Math.max(1, Math.min(BATCH_BYTES, remainingBytes)));
  }

  /** The body is over (or abandoned): back to waking on every byte. */
  public void done() {
    set(1);
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
    if (channel == null || bytes == mark) {
      return;
    }
    mark = bytes;
    try {
      channel.config().setOption(SO_RCVLOWAT, bytes);
    } catch (RuntimeException closed) {
      // A socket already closed: nothing left to batch.
    }
  }
}
