package io.bamqp.peer;

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
 * of what relaying an origin's body cost. With the low-water mark at 56 KiB the socket is readable
 * once that much is queued (or at the peer's end), which adds at most 56 KiB of a line's time to a
 * byte's way: 9 ms at 50 Mbit/s, 0.46 s at 1 Mbit/s, under the home's default 1 s stall timeout on
 * any line of 0.5 Mbit/s or more. Each wake-up costs the relay a read, a pass through the handlers,
 * a TLS write and a flush, so the batch is as large as one read allows: 56 KiB leaves 8 KiB of
 * Netty's 64 KiB read buffer for what arrives while the reader wakes, so a wake-up is one read, not
 * a full buffer and then a remainder (a mark of 64 KiB read twice per wake; BENCHMARKS.md). The
 * mark never exceeds what the body still owes, so the last bytes wake the reader too, and it is
 * back at 1 before the connection can carry another response.
 *
 * <p>With Linux's default 128 KiB receive buffer this mark leaves the window alone: the kernel
 * raises only a buffer smaller than twice the mark (to twice the mark, with the window clamp at the
 * mark). An older 87,380-byte default is raised so, to a clamp above the 43,690 bytes that buffer
 * had, and the kernel's tuning raises both later as the connection's rate asks (checked with {@code
 * TCP_WINDOW_CLAMP} on Linux 6.18).
 *
 * <p>Only the native epoll transport can set it; on Java NIO (or a connection that is not a plain
 * Vert.x one) every call does nothing. Confined to the response's event loop.
 */
public final class ReadBatching {
  /** Bytes queued before the socket counts as readable: 56 KiB. */
  public static final int BATCH_BYTES = 56 * 1024;

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

  private ReadBatching(Channel channel) {
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
