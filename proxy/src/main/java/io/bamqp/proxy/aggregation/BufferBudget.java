package io.bamqp.proxy.aggregation;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's memory for reordering, shared by every aggregated download ({@code
 * aggregation.totalBufferBytes}). Each download reserves its window when it starts, as much of
 * {@code aggregation.bufferBytes} as is left, and releases it once when it ends; a download that
 * cannot get at least {@link #minimumWindow()} streams through unaggregated instead. The sum of the
 * windows, and so of what the reorder buffers hold, never exceeds {@link #totalBytes()}.
 *
 * <p>Thread-safe: sessions on every event loop reserve and release; no lock is taken.
 */
public final class BufferBudget {
  /**
   * The smallest window worth splitting a download for: 4 MiB, room for 2 chunks of 256 KiB from
   * each of 8 sources. Below it a download would spend its sources waiting on the client.
   */
  public static final long MINIMUM_WINDOW_BYTES = 4L << 20;

  /** The default budget's share of the heap: a quarter of {@code -Xmx}. */
  public static final int HEAP_SHARE_DIVISOR = 4;

  private final long totalBytes;
  private final long minimumWindow;
  private final AtomicLong reserved = new AtomicLong();
  private final AtomicInteger holders = new AtomicInteger();

  /**
   * A budget of {@code totalBytes} handing out windows of at least {@code minimumWindow} bytes.
   *
   * @throws IllegalArgumentException when either is not positive
   */
  public BufferBudget(long totalBytes, long minimumWindow) {
    if (totalBytes <= 0 || minimumWindow <= 0) {
      throw new IllegalArgumentException(
          "budget " + totalBytes + " and minimum window " + minimumWindow + " must be positive");
    }
    this.totalBytes = totalBytes;
    this.minimumWindow = minimumWindow;
  }

  /**
   * The default budget for a heap of {@code maxHeapBytes} ({@link Runtime#maxMemory()}): a {@value
   * #HEAP_SHARE_DIVISOR}th of it, and never less than one {@link #MINIMUM_WINDOW_BYTES} window.
   */
  public static long fromHeap(long maxHeapBytes) {
    return Math.max(MINIMUM_WINDOW_BYTES, maxHeapBytes / HEAP_SHARE_DIVISOR);
  }

  /** All the budget, in bytes. */
  public long totalBytes() {
    return totalBytes;
  }

  /** The smallest window a download is started with. */
  public long minimumWindow() {
    return minimumWindow;
  }

  /** What the running downloads hold now. */
  public long reservedBytes() {
    return reserved.get();
  }

  /** How many downloads hold a window now. */
  public int downloads() {
    return holders.get();
  }

  /**
   * Reserves {@code wantedBytes}, or what is left of the budget when that is less but still at
   * least {@link #minimumWindow()} (or {@code wantedBytes}, when that is smaller still).
   *
   * @return the window, to be released when the download ends; null when the budget is spent
   */
  public Window reserve(long wantedBytes) {
    long floor = Math.min(minimumWindow, wantedBytes);
    while (true) {
      long now = reserved.get();
      long granted = Math.min(wantedBytes, totalBytes - now);
      if (granted < floor || granted <= 0) {
        return null;
      }
      if (reserved.compareAndSet(now, now + granted)) {
        holders.incrementAndGet();
        return new Window(granted);
      }
    }
  }

  /** Why a download found no window, for the history: names the holders and the figures. */
  public String exhausted() {
    return String.format(
        Locale.ROOT,
        "buffer budget in use by %d downloads (%.1f MiB of %.1f MiB): streamed through",
        downloads(),
        reservedBytes() / 1048576.0,
        totalBytes / 1048576.0);
  }

  /** One download's share of the budget. */
  public final class Window {
    private final long bytes;
    private final AtomicBoolean released = new AtomicBoolean();

    private Window(long bytes) {
      this.bytes = bytes;
    }

    /** The window's size: how far ahead of the client the download's sources may fetch. */
    public long bytes() {
      return bytes;
    }

    /** Gives the window back; only the first call counts. */
    public void release() {
      if (released.compareAndSet(false, true)) {
        reserved.addAndGet(-bytes);
        holders.decrementAndGet();
      }
    }
  }
}
