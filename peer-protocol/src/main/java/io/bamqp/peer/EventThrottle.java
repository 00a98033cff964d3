package io.bamqp.peer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Lets at most {@code burst} events of each key through per window and counts the rest, so that
 * what a stranger can trigger as often as it likes (a refused handshake, a refused request, the
 * proxy's refusals) costs one log line or audit entry now and then instead of one each. A key's
 * window opens with the first event after the previous one closed. The count of events held back is
 * handed to the next event let through ({@link #admit}) or taken by {@link #drain}.
 *
 * <p>Keys should be few (a peer ID, a kind of event): at most {@link #MAX_KEYS} are tracked, and
 * past that an event of a new key is held back uncounted. Thread-safe; the lock guards in-memory
 * counts only.
 */
public final class EventThrottle {
  /** Keys tracked at most (4096); closed windows with nothing held back are forgotten first. */
  public static final int MAX_KEYS = 4096;

  private static final class Window {
    long opened;
    int passed;
    long held;
  }

  private final int burst;
  private final long windowMillis;
  private final LongSupplier millis;
  private final Map<String, Window> windows = new HashMap<>(); // guarded by this

  /**
   * @param burst events of one key let through per window, at least 1
   * @param window the window's length
   * @param millis the clock, in milliseconds
   */
  public EventThrottle(int burst, Duration window, LongSupplier millis) {
    if (burst < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("burst must be at least 1 and the window positive");
    }
    this.burst = burst;
    this.windowMillis = window.toMillis();
    this.millis = millis;
  }

  /**
   * Counts an event of {@code key}.
   *
   * @return -1 if it is held back; otherwise how many of the key's events were held back since the
   *     last one let through (and not drained)
   */
  public synchronized long admit(String key) {
    long now = millis.getAsLong();
    Window window = windows.get(key);
    if (window == null) {
      if (windows.size() >= MAX_KEYS && !forgetClosed(now)) {
        return -1;
      }
      window = new Window();
      window.opened = now;
      windows.put(key, window);
    } else if (now - window.opened >= windowMillis) {
      window.opened = now;
      window.passed = 0;
    }
    if (window.passed >= burst) {
      window.held++;
      return -1;
    }
    window.passed++;
    long held = window.held;
    window.held = 0;
    return held;
  }

  /** Takes the count of {@code key}'s events held back so far, leaving zero. */
  public synchronized long drain(String key) {
    Window window = windows.get(key);
    if (window == null) {
      return 0;
    }
    long held = window.held;
    window.held = 0;
    return held;
  }

  /** Milliseconds until {@code key}'s current window closes (0 if none is open). */
  public synchronized long millisLeft(String key) {
    Window window = windows.get(key);
    return window == null ? 0 : Math.max(0, window.opened + windowMillis - millis.getAsLong());
  }

  private boolean forgetClosed(long now) {
    windows.values().removeIf(w -> now - w.opened >= windowMillis && w.held == 0);
    return windows.size() < MAX_KEYS;
  }

  /**
   * What a line let through says of the ones held back before it: {@code " (N similar line(s) left
   * out before)"} for a count from {@link #admit}, else nothing.
   */
  public static String heldBackNote(long held) {
    return held > 0 ? " (" + held + " similar line(s) left out before)" : "";
  }
}
