package io.bamqp.proxy.sharing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A meter of the bytes this node delivers to its own LAN clients: forwarded responses, {@code
 * CONNECT} tunnels and aggregated downloads. It is <em>busy</em> once they arrive at {@link
 * #DEFAULT_BUSY_BYTES_PER_SECOND} or more over the last {@link #DEFAULT_WINDOW}, and idle again
 * after {@link #DEFAULT_IDLE_AFTER} below that; {@link Listener}s hear each change, which is what
 * makes neighbor work yield.
 *
 * <p>Counting is one {@link LongAdder} add per buffer, from any thread. The rate is computed every
 * {@link #TICK} by a timer that runs only while bytes flow or the meter is busy, so an idle node
 * does no work at all.
 */
public final class OwnTraffic {
  /** Own clients are busy from 256 KiB/s (2 Mbit/s): a download, not a web page's trickle. */
  public static final long DEFAULT_BUSY_BYTES_PER_SECOND = 256 * 1024;

  /** The rate is taken over the last 500 ms. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMillis(500);

  /** Idle again only after 1.5 s below the threshold, so a short dip does not flap. */
  public static final Duration DEFAULT_IDLE_AFTER = Duration.ofMillis(1500);

  /** How often the rate is computed while bytes flow: 100 ms. */
  public static final Duration TICK = Duration.ofMillis(100);

  /** Hears the meter change between busy and idle; called on the meter's timer, keep it short. */
  @FunctionalInterface
  public interface Listener {
    void busyChanged(boolean busy);
  }

  private final Vertx vertx;
  private final TrafficWindow window;
  private final LongAdder pending = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final AtomicBoolean ticking = new AtomicBoolean();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean busy;
  private volatile double bytesPerSecond;
  private volatile long timer = -1;
  private volatile boolean closed;

  private OwnTraffic(Vertx vertx, TrafficWindow window) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.window = window;
  }

  /** A meter with the default threshold, window and idle delay. */
  public static OwnTraffic create(Vertx vertx) {
    return create(vertx, DEFAULT_BUSY_BYTES_PER_SECOND, DEFAULT_WINDOW, DEFAULT_IDLE_AFTER);
  }

  /** A meter with its own threshold, window and idle delay (tests, benchmarks). */
  public static OwnTraffic create(
      Vertx vertx, long busyBytesPerSecond, Duration window, Duration idleAfter) {
    return new OwnTraffic(
        vertx, new TrafficWindow(busyBytesPerSecond, window.toNanos(), idleAfter.toNanos()));
  }

  /** Counts {@code bytes} just delivered to an own client. Any thread; never blocks. */
  public void add(long bytes) {
    pending.add(bytes);
    delivered.add(bytes);
    if (!ticking.get() && !closed && ticking.compareAndSet(false, true)) {
      timer = vertx.setPeriodic(TICK.toMillis(), this::tick);
    }
  }

  /** {@code client} with every buffer written through it counted. */
  public WriteStream<Buffer> counting(WriteStream<Buffer> client) {
    return new CountingWriteStream(client, this);
  }

  /**
   * Counts what a stream this meter cannot wrap delivers, by reading its running byte count ({@code
   * HttpServerResponse::bytesWritten}) every {@link #TICK} on the caller's context. Call on the
   * stream's event loop; run the answer once the stream is done (it counts the rest).
   */
  public Runnable follow(LongSupplier bytesWritten) {
    long[] seen = {bytesWritten.getAsLong()};
    Runnable sample =
        () -> {
          long now = bytesWritten.getAsLong();
          if (now > seen[0]) {
            add(now - seen[0]);
            seen[0] = now;
          }
        };
    long id = vertx.setPeriodic(TICK.toMillis(), t -> sample.run());
    return () -> {
      vertx.cancelTimer(id);
      sample.run();
    };
  }

  /** Hears every change between busy and idle from now on. */
  public void listen(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Whether own clients are downloading now. */
  public boolean busy() {
    return busy;
  }

  /** Own clients' rate over the window, as of the last tick. */
  public double bytesPerSecond() {
    return bytesPerSecond;
  }

  /** Bytes delivered to own clients since start. */
  public long bytesDelivered() {
    return delivered.sum();
  }

  /** Stops the timer; counting goes on, but no listener hears anything more. */
  public void close() {
    closed = true;
    long id = timer;
    if (id >= 0) {
      vertx.cancelTimer(id);
    }
  }

  // Runs on the timer's context only; the timer stops while quiet and add() starts it again.
  private void tick(long id) {
    boolean nowBusy = window.record(pending.sumThenReset(), System.nanoTime());
    bytesPerSecond = window.bytesPerSecond();
    if (nowBusy != busy) {
      busy = nowBusy;
      listeners.forEach(listener -> listener.busyChanged(nowBusy));
    }
    if (window.quiet() || closed) {
      vertx.cancelTimer(id);
      timer = -1;
      ticking.set(false);
      if (pending.sum() > 0 && !closed && ticking.compareAndSet(false, true)) {
        timer = vertx.setPeriodic(TICK.toMillis(), this::tick);
      }
    }
  }
}
