package io.bamqp.peer;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.transport.Transport;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Has the kernel wake the node once per batch of a known-length response body rather than once per
 * packet ({@code SO_RCVLOWAT}), and reads each batch in one read.
 *
 * <p>A line of tens of Mbit/s delivers a packet every few hundred microseconds, and each woke the
 * event loop for one read of 1.4 kB: on a router the wake-ups and reads, not the bytes, were most
 * of what relaying an origin's body cost. Each wake-up costs the relay a read, a pass through the
 * handlers, a TLS write and a flush. With the low-water mark at {@link #BATCH_BYTES} the socket is
 * readable once that much is queued (or at the peer's end): 37 ms of a 50 Mbit/s line.
 *
 * <p>A byte never waits longer than {@link #MAX_WAIT_MILLIS} for its batch, whatever the line: a
 * watchdog on the response's event loop lowers the mark to 1 when no read came for that long (the
 * kernel then wakes the reader for what is queued) and the next read raises it again. So a slow
 * line is read every 50 ms instead of once per batch (a 224 KiB batch is 1.8 s of a 1 Mbit/s line,
 * past the home's 1 s stall timeout). On a fast line the reads come first: the watchdog fires,
 * finds a recent read and waits again (one timer per body, never one per read). The mark never
 * exceeds what the body still owes, so the last bytes wake the reader too, and it is back at 1
 * before the connection can carry another response.
 *
 * <p>One batch is one read only if the read buffer holds it: Netty's default grows to 64 KiB, so a
 * node's client connections read into buffers of up to {@link #READ_BUFFER_BYTES} ({@link
 * #vertx(VertxOptions)}; the buffer adapts to what the reads bring, as Netty's default does). The
 * mark leaves 32 KiB of that buffer for what arrives while the reader wakes (a full buffer is read
 * again for the remainder, two passes through the relay). The HTTP decoders hand a read over in one
 * piece of up to {@link #DECODED_CHUNK_BYTES}.
 *
 * <p>The kernel raises a receive buffer smaller than twice the mark to twice the mark (its window
 * clamp then the mark), and its own tuning raises both later as the connection's rate asks; a
 * receive window that closes wakes the reader before the mark (checked with {@code
 * TCP_WINDOW_CLAMP} on Linux 6.18).
 *
 * <p>Only the native epoll transport can set it; on Java NIO (or a connection that is not a plain
 * Vert.x one) every call does nothing. Confined to the event loop it was made on (the response's,
 * which runs the watchdog too: a pooled connection may serve a request of another loop).
 */
public final class ReadBatching {
  /** Bytes queued before the socket counts as readable: 224 KiB. */
  public static final int BATCH_BYTES = 224 * 1024;

  /** The largest read buffer of a node's client connections: 256 KiB. */
  public static final int READ_BUFFER_BYTES = 256 * 1024;

  /**
   * The largest body piece an HTTP decoder should hand over at once (its {@code maxChunkSize}): a
   * read buffer, so that a batch read is relayed as one piece, not cut into Vert.x's default 8 KiB.
   */
  public static final int DECODED_CHUNK_BYTES = READ_BUFFER_BYTES;

  /** The longest a queued byte waits for its batch to fill: 50 ms. */
  public static final long MAX_WAIT_MILLIS = 50;

  static final IntegerUnixChannelOption SO_RCVLOWAT =
      new IntegerUnixChannelOption("SO_RCVLOWAT", 1, 18); // SOL_SOCKET, SO_RCVLOWAT (Linux)

  private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS);

  private static final ReadBatching OFF = new ReadBatching(null, null);

  private final Channel channel;
  private final EventLoop loop; // the response's, where remaining() and done() are called
  private int mark = 1;
  private long readNanos; // the last read (or the body's start): a batch's wait counts from here
  private ScheduledFuture<?> watchdog;

  private ReadBatching(Channel channel, EventLoop loop) {
    this.channel = channel;
    this.loop = loop;
  }

  /** Batching for {@code response}'s connection, or a no-op where the socket cannot do it. */
  public static ReadBatching of(HttpClientResponse response) {
    if (response.request().connection() instanceof ConnectionBase connection
        && isEpoll(connection.channel())) {
      ContextInternal current = ContextInternal.current();
      EventLoop loop =
          current != null && current.isEventLoopContext()
              ? current.nettyEventLoop()
              : connection.channel().eventLoop();
      return new ReadBatching(connection.channel(), loop);
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

  /**
   * A Vert.x for a node: {@code options}, and where it runs on epoll, client connections that read
   * a whole batch at once ({@link #READ_BUFFER_BYTES}). Elsewhere {@code Vertx.vertx(options)}.
   */
  public static Vertx vertx(VertxOptions options) {
    if (options.getPreferNativeTransport() && Transport.EPOLL.available()) {
      return Vertx.builder()
          .with(options)
          .withTransport(new LargeReadsTransport(Transport.EPOLL, READ_BUFFER_BYTES))
          .build();
    }
    return Vertx.vertx(options);
  }

  /**
   * The body still owes {@code remainingBytes} (called at its start and after each read): wake for
   * a batch, or for what is left, and at the latest {@link #MAX_WAIT_MILLIS} after this read.
   */
  public void remaining(long remainingBytes) {
    if (channel == null) {
      return;
    }
    readNanos = System.nanoTime();
    set((int) Math.max(1, Math.min(BATCH_BYTES, remainingBytes)));
    if (mark > 1 && watchdog == null) {
      watch(MAX_WAIT_NANOS);
    }
  }

  /** The body is over (or abandoned): back to waking on every byte. */
  public void done() {
    if (watchdog != null) {
      watchdog.cancel(false);
      watchdog = null;
    }
    set(1);
  }

  private void watch(long delayNanos) {
    try {
      watchdog = loop.schedule(this::onWatchdog, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException shutDown) {
      watchdog = null; // the event loop is closing, and the connection with it
    }
  }

  private void onWatchdog() {
    watchdog = null;
    if (mark <= 1) {
      return; // the body ended, or the watchdog already lowered the mark: the next read re-arms
    }
    long waited = System.nanoTime() - readNanos;
    if (waited < MAX_WAIT_NANOS) {
      watch(MAX_WAIT_NANOS - waited); // reads came meanwhile: the wait counts from the last one
    } else {
      set(1); // the kernel wakes the reader now if anything is queued, else on the next byte
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
