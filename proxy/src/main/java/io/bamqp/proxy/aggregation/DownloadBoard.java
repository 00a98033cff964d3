package io.bamqp.proxy.aggregation;

import io.bamqp.peer.EventThrottle;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The large downloads of one proxy, for the statistics page: those running now, as their latest
 * snapshots, and a notice when each ends, aggregated or not. Each end is also one INFO line, its
 * verdict (rate-limited to {@value #VERDICT_LINES_PER_MINUTE} a minute).
 *
 * <p>Thread-safe: sessions on every event loop add and end downloads; readers on any thread get
 * immutable snapshots.
 */
public final class DownloadBoard {
  /**
   * Verdict lines per minute, at most: one per large download is what the owner wants to read; a
   * client looping over large files must not fill a router's flash.
   */
  static final int VERDICT_LINES_PER_MINUTE = 30;

  private static final Logger LOG = System.getLogger("io.bamqp.download");

  private final EventThrottle verdictLimit =
      new EventThrottle(VERDICT_LINES_PER_MINUTE, Duration.ofMinutes(1), System::currentTimeMillis);
  private final BufferBudget budget;
  private final Map<String, LiveDownload> live = new ConcurrentHashMap<>();
  private final List<Consumer<DownloadSnapshot>> endListeners = new CopyOnWriteArrayList<>();
  private volatile Supplier<List<LineStatus>> lines = List::of;

  /** A board for downloads that share {@code budget}. */
  public DownloadBoard(BufferBudget budget) {
    this.budget = budget;
  }

  /** The reorder memory the downloads share: its total and what they hold now. */
  public BufferBudget budget() {
    return budget;
  }

  /** The node's own lines, the primary first, with their state and a metered line's use. */
  public List<LineStatus> lines() {
    return lines.get();
  }

  void showing(Supplier<List<LineStatus>> own) {
    this.lines = own;
  }

  private volatile Supplier<SlotsInUse> slots = () -> new SlotsInUse(0, 0, 0, 0, Map.of());

  /**
   * The node-wide picture of its neighbors' job slots (held and served, downloads waiting for a
   * slot); thread-safe.
   */
  public SlotsInUse slots() {
    return slots.get();
  }

  /** Where {@link #slots()} comes from: the aggregator's scheduler. */
  void slotsFrom(Supplier<SlotsInUse> source) {
    this.slots = source;
  }

  /** The downloads running now, oldest first. */
  public List<DownloadSnapshot> live() {
    return live.values().stream()
        .map(LiveDownload::snapshot)
        .sorted(Comparator.comparingLong(DownloadSnapshot::startedAtMillis))
        .toList();
  }

  /**
   * Calls {@code listener} with the final snapshot of each download that ends from now on, on the
   * download's event loop: it must not block. A download is still in {@link #live()} while its
   * listeners run, so a reader that counts both never sees it vanish in between.
   *
   * @return what stops the notices
   */
  public Runnable onEnded(Consumer<DownloadSnapshot> listener) {
    endListeners.add(listener);
    return () -> endListeners.remove(listener);
  }

  void started(LiveDownload download) {
    live.put(download.id(), download);
  }

  void ended(DownloadSnapshot last) {
    long leftOut = verdictLimit.admit("downloads");
    if (leftOut >= 0) {
      LOG.log(Level.INFO, DownloadVerdict.line(last) + EventThrottle.heldBackNote(leftOut));
    }
    endListeners.forEach(listener -> listener.accept(last));
    live.remove(last.id());
  }
}
