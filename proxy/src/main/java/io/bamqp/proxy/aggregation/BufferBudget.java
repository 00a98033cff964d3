package io.bamqp.proxy.aggregation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The node's memory for reordering, shared by every aggregated download ({@code
 * aggregation.totalBufferBytes}). The downloads running share it fairly: each one's window tends to
 * its {@linkplain Window#target() target}, its wanted size ({@code aggregation.bufferBytes}) or an
 * equal share of the budget when that is less. When a download starts the others' targets shrink;
 * each gives back what its client has made room for as it {@linkplain Window#settle settles} (every
 * tick of its session), and windows below their target grow into what is free. When one ends, the
 * others grow the same way.
 *
 * <p>The windows add up to at most {@link #totalBytes()}, with one exception, so that a download
 * joining never waits: a new window is at least {@link #minimumWindow()} (or its wanted size, when
 * smaller) even when the others have not yet given that much back. Until they do (within a tick and
 * as their clients read), the sum may exceed the budget by up to one minimum window per download
 * that joined in that time. A download is refused a window, and streams through unaggregated, only
 * when an equal share would be below the minimum.
 *
 * <p>Thread-safe: sessions on every event loop reserve, settle and release under the budget's lock,
 * a few times a second each.
 */
public final class BufferBudget {
  /**
   * The smallest window worth splitting a download for: 2 MiB, room for 2 chunks of 256 KiB from
   * each of 4 sources. Below it a download would spend its sources waiting on the client.
   */
  public static final long MINIMUM_WINDOW_BYTES = 2L << 20;

  /** The default budget's share of the heap: a quarter of {@code -Xmx}. */
  public static final int HEAP_SHARE_DIVISOR = 4;

  private final long totalBytes;
  private final long minimumWindow;
  private final List<Window> windows = new ArrayList<>();
  private long reserved;

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

  /** What the running downloads' windows add up to now. */
  public synchronized long reservedBytes() {
    return reserved;
  }

  /** How many downloads hold a window now. */
  public synchronized int downloads() {
    return windows.size();
  }

  /**
   * Starts a window wanting {@code wantedBytes}: its target, or what is free when that is less, and
   * at least the minimum window (or {@code wantedBytes}, when smaller still). The others' targets
   * shrink to make room.
   *
   * @return the window, to be released when the download ends; null when an equal share of the
   *     budget among one more download would be below the minimum
   */
  public synchronized Window reserve(long wantedBytes) {
    long floor = Math.min(minimumWindow, wantedBytes);
    if (floor <= 0 || totalBytes / (windows.size() + 1) < floor) {
      return null;
    }
    Window window = new Window(wantedBytes);
    windows.add(window);
    for (Window other : windows) {
      if (other != window) {
        other.settleLocked(other.ahead); // what it has not reported using comes back at once
      }
    }
    window.resize(Math.max(floor, Math.min(window.targetLocked(), free())));
    window.ahead = window.granted;
    return window;
  }

  /** Why a download found no window, for the history: names the holders and the figures. */
  public synchronized String exhausted() {
    return String.format(
        Locale.ROOT,
        "buffer budget of %.1f MiB shared by %d downloads already (at least %.1f MiB each):"
            + " streamed through",
        totalBytes / 1048576.0,
        windows.size(),
        minimumWindow / 1048576.0);
  }

  private long free() {
    return Math.max(0, totalBytes - reserved);
  }

  /** One download's share of the budget. */
  public final class Window {
    private final long wanted;
    private long granted;
    private long ahead; // what its download last said it may hold; all of it until it says
    private boolean released;

    private Window(long wanted) {
      this.wanted = wanted;
    }

    /** The window's size now: how far ahead of the client the download's sources may fetch. */
    public long bytes() {
      synchronized (BufferBudget.this) {
        return granted;
      }
    }

    /** The size this window tends to: its wanted size, or an equal share of the budget. */
    public long target() {
      synchronized (BufferBudget.this) {
        return targetLocked();
      }
    }

    /**
     * The download reaches {@code aheadBytes} beyond its client now (assigned, arriving or held):
     * the window shrinks towards its target, never below that, or grows towards it into what is
     * free.
     *
     * @return the window's size from now on
     */
    public long settle(long aheadBytes) {
      synchronized (BufferBudget.this) {
        if (!released) {
          ahead = aheadBytes;
          settleLocked(aheadBytes);
        }
        return granted;
      }
    }

    /** Gives the window back; only the first call counts. */
    public void release() {
      synchronized (BufferBudget.this) {
        if (!released) {
          released = true;
          resize(0);
          windows.remove(this);
        }
      }
    }

    private long targetLocked() {
      return Math.min(wanted, totalBytes / Math.max(1, windows.size()));
    }

    private void settleLocked(long aheadBytes) {
      long target = targetLocked();
      if (granted > target) {
        resize(Math.max(target, Math.min(granted, aheadBytes)));
      } else if (granted < target) {
        resize(Math.min(target, granted + free()));
      }
    }

    private void resize(long bytes) {
      reserved += bytes - granted;
      granted = bytes;
    }
  }
}
