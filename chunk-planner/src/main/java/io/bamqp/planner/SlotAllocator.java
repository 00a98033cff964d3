package io.bamqp.planner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides, for one home node, which of its concurrent downloads each neighbor's job slots serve:
 * the node-wide layer above the per-download {@link ChunkPlanner}.
 *
 * <p>Pure like the planner: no I/O, no clock, not thread-safe; every event carries {@code now}
 * (nanoseconds, never decreasing) and {@link #decide} answers what to do. The caller carries out
 * every {@link Decision} it gets and reports back what the world did ({@link #released}).
 *
 * <p>The policy:
 *
 * <ul>
 *   <li><b>Busy lines.</b> A free slot (one the line serves this home, not held, not blocked by a
 *       busy answer) is granted at once to a download that has work for it: at least {@link
 *       #minWorkBytes} left, not already on that line, and not held back by its client (its
 *       estimated rate below the rate its client reads). A download that ends frees its slots,
 *       which the next {@code decide} hands on. Among the downloads waiting, those holding the
 *       fewest slots come first, then the least served.
 *   <li><b>Max-min fair over time.</b> Each download's service is the bytes it has received plus
 *       the service of the least-served download when it started (so a newcomer neither starves the
 *       others nor waits behind them). Free slots go to the least-served download first; a slot
 *       held for at least {@link #quantumNanos} moves from its holder to a waiting download that
 *       trails the holder by more than a quantum of one of that line's slots' bytes. Equal
 *       downloads started together therefore advance together, and service counts every byte, so
 *       what the shared home line gives one more than another (TCP does not split a line exactly)
 *       is evened out too. Moving a slot costs a release and an offer (a fraction of a second on a
 *       LAN): at 2 s quanta the bench's eight downloads finished within 7% of each other at 0.94 of
 *       the lines (medians of 3, BENCHMARKS.md).
 *   <li><b>Shares that shrink.</b> When a line serves this home fewer slots than it holds (a helper
 *       splitting its capacity between homes), the most-served holders give theirs back, each once
 *       it was held a quantum.
 *   <li><b>Check jobs last.</b> A download's spot checks of one neighbor's bytes run as a job on
 *       another neighbor it holds, a job of its own on the helper, so it takes a slot there. It
 *       gets one only from a slot no waiting download could use ({@link #checkWanted}), and gives
 *       it back at once ({@link RevokeCheck}) when a download comes to wait for that line: a slot
 *       carries a download's bytes before it carries another's checks (their checks then go to the
 *       home line). Unaccounted, check jobs filled the helpers' slots the scheduler thought free,
 *       and the downloads granted them were answered busy for seconds.
 * </ul>
 */
public final class SlotAllocator {

  /** Default time a slot is held before it may move to another download: 2 s. */
  public static final long DEFAULT_QUANTUM_NANOS = 2_000_000_000L;

  /**
   * How long a slot given back waits for its release to be confirmed ({@link #returned}) before it
   * is free anyway: 2 s. A helper that still counts the old job would answer the next offer busy.
   */
  public static final long RETURN_TIMEOUT_NANOS = 2_000_000_000L;

  /**
   * How long a slot stays with a download that holds two lines more than a waiting one before it
   * moves to that one: 1 s (the count of lines is evened out before the bytes are).
   */
  public static final long SETTLE_NANOS = 1_000_000_000L;

  /**
   * How long a download that gave a line up ({@link #left}: the neighbor stalled or failed in it)
   * waits before that line may be granted to it again: 5 s. A helper that refuses the download's
   * URL would fail it again as fast as it is granted; a stall may pass.
   */
  public static final long LEFT_RETRY_NANOS = 5_000_000_000L;

  /** Default bytes a download must have left to take a slot: 2 MiB (one offer is not free). */
  public static final long DEFAULT_MIN_WORK_BYTES = 2L << 20;

  /** What the caller must do. */
  public sealed interface Decision permits Grant, Revoke, RevokeCheck {
    String line();

    long download();
  }

  /** Offer a job on {@code line} for {@code download}; it holds the slot until released. */
  public record Grant(String line, long download) implements Decision {}

  /**
   * {@code download} gives its job on {@code line} back; the slot is free once the caller reports
   * the release done ({@link #returned}), or after {@link #RETURN_TIMEOUT_NANOS}.
   */
  public record Revoke(String line, long download) implements Decision {}

  /**
   * {@code download} ends its check job on {@code line}; the slot is free once the caller reports
   * the release done ({@link #returned}), or after {@link #RETURN_TIMEOUT_NANOS}.
   */
  public record RevokeCheck(String line, long download) implements Decision {}

  private static final class Line {
    final String id;
    int slots;
    long bytesPerSec;
    long blockedUntil = Long.MIN_VALUE;
    final Map<Long, Long> holders = new LinkedHashMap<>(); // download -> since
    final List<Long> returning = new ArrayList<>(); // until when a given-back slot waits
    final List<Long> checkers = new ArrayList<>(); // downloads holding a check job, one per job

    int free(long now) {
      returning.removeIf(until -> until <= now);
      return slots - holders.size() - returning.size() - checkers.size();
    }

    Line(String id) {
      this.id = id;
    }
  }

  private static final class Download {
    final long id;
    final long baseService;
    final long startedNanos;
    long received;
    long remaining;
    long clientBytesPerSec;
    final Map<String, Long> leftUntil = new HashMap<>(); // a line it gave up -> when it may again

    Download(long id, long baseService, long remaining, long startedNanos) {
      this.id = id;
      this.baseService = baseService;
      this.remaining = remaining;
      this.startedNanos = startedNanos;
    }

    long service() {
      return baseService + received;
    }
  }

  private final long quantumNanos;
  private final long minWorkBytes;
  private final Map<String, Line> lines = new LinkedHashMap<>();
  private final Map<Long, Download> downloads = new LinkedHashMap<>();
  private long homeBytesPerSec;

  /** An allocator with the default quantum and minimum work. */
  public SlotAllocator() {
    this(DEFAULT_QUANTUM_NANOS, DEFAULT_MIN_WORK_BYTES);
  }

  /**
   * @param quantumNanos how long a slot stays with a download before it may move, {@code > 0}
   * @param minWorkBytes bytes a download must have left to be given a slot, {@code >= 0}
   */
  public SlotAllocator(long quantumNanos, long minWorkBytes) {
    if (quantumNanos <= 0 || minWorkBytes < 0) {
      throw new IllegalArgumentException("quantum must be > 0 and minimum work >= 0");
    }
    this.quantumNanos = quantumNanos;
    this.minWorkBytes = minWorkBytes;
  }

  /** The rate of the home line, which every download shares; {@code 0} when unknown. */
  public void homeLine(long bytesPerSec) {
    this.homeBytesPerSec = Math.max(0, bytesPerSec);
  }

  /**
   * A neighbor's line serves this home {@code slots} jobs at about {@code bytesPerSec} in all;
   * called again when either changes (a helper's answer tells its share).
   */
  public void line(String line, int slots, long bytesPerSec) {
    Line l = lines.computeIfAbsent(Objects.requireNonNull(line, "line"), Line::new);
    l.slots = Math.max(0, slots);
    l.bytesPerSec = Math.max(1, bytesPerSec);
  }

  /**
   * The line left (neighbor gone or quarantined): answers the downloads that held it, whose jobs
   * the caller drops.
   */
  public List<Long> lineGone(String line) {
    Line l = lines.remove(line);
    return l == null ? List.of() : List.copyOf(l.holders.keySet());
  }

  /** The line answered busy: no grant on it before {@code untilNanos}. */
  public void blocked(String line, long untilNanos) {
    Line l = lines.get(line);
    if (l != null) {
      l.blockedUntil = untilNanos;
    }
  }

  /** A download began, with {@code remainingBytes} to fetch. */
  public void downloadStarted(long download, long remainingBytes, long now) {
    long base = downloads.values().stream().mapToLong(Download::service).min().orElse(0);
    downloads.put(download, new Download(download, base, remainingBytes, now));
  }

  /**
   * Where a download stands: bytes received so far in all, bytes still to fetch, and the rate its
   * client reads at when the client holds it back ({@code 0}: the client keeps up).
   */
  public void progressed(long download, long receivedBytes, long remainingBytes, long clientBps) {
    Download d = downloads.get(download);
    if (d != null) {
      d.received = receivedBytes;
      d.remaining = remainingBytes;
      d.clientBytesPerSec = Math.max(0, clientBps);
    }
  }

  /**
   * A download is over: its slots are free for the next {@link #decide} once their releases are
   * {@link #returned}.
   */
  public void downloadEnded(long download, long now) {
    downloads.remove(download);
    for (Line l : lines.values()) {
      if (l.holders.remove(download) != null) {
        l.returning.add(now + RETURN_TIMEOUT_NANOS);
      }
      while (l.checkers.remove(Long.valueOf(download))) {
        l.returning.add(now + RETURN_TIMEOUT_NANOS);
      }
    }
  }

  /**
   * {@code download} would open a check job on {@code line}: granted (and counted as a slot held
   * until {@link #checkReleased} or a {@link RevokeCheck}) when the line has a free slot and no
   * download waits for it.
   */
  public boolean checkWanted(String line, long download, long now) {
    Line l = lines.get(line);
    if (l == null
        || !downloads.containsKey(download)
        || now < l.blockedUntil
        || l.free(now) <= 0
        || leastServedWaiting(l, now) != null) {
      return false;
    }
    l.checkers.add(download);
    return true;
  }

  /**
   * The check job of {@code download} on {@code line} ended outside a {@link RevokeCheck}. When
   * {@code taken}, the helper had it and its slot is free once {@link #returned}; otherwise (the
   * helper declined) at once.
   */
  public void checkReleased(String line, long download, boolean taken, long now) {
    Line l = lines.get(line);
    if (l != null && l.checkers.remove(Long.valueOf(download)) && taken) {
      l.returning.add(now + RETURN_TIMEOUT_NANOS);
    }
  }

  /** A job given back on {@code line} (revoked, or of an ended download) is released. */
  public void returned(String line) {
    Line l = lines.get(line);
    if (l != null && !l.returning.isEmpty()) {
      l.returning.remove(0);
    }
  }

  /**
   * A granted slot was not obtained (the neighbor declined or failed) or a held job ended outside a
   * {@link Revoke}: the slot is free again.
   */
  public void released(String line, long download) {
    Line l = lines.get(line);
    if (l != null) {
      l.holders.remove(download);
    }
  }

  /**
   * {@code download} gave up its job on {@code line} (the neighbor stalled or failed in it): like a
   * {@link Revoke}, the slot is free once {@link #returned}, or after {@link
   * #RETURN_TIMEOUT_NANOS}, and goes to another download; to this one only after {@link
   * #LEFT_RETRY_NANOS}.
   */
  public void left(String line, long download, long now) {
    Download d = downloads.get(download);
    if (d != null) {
      d.leftUntil.put(line, now + LEFT_RETRY_NANOS);
    }
    Line l = lines.get(line);
    if (l != null && l.holders.remove(download) != null) {
      l.returning.add(now + RETURN_TIMEOUT_NANOS);
    }
  }

  /** Downloads known. */
  public int downloads() {
    return downloads.size();
  }

  /** Slots held now, over all lines. */
  public int slotsHeld() {
    return lines.values().stream().mapToInt(l -> l.holders.size() + l.checkers.size()).sum();
  }

  /** Slots this home may use now, over all lines. */
  public int slotsServed() {
    return lines.values().stream().mapToInt(l -> l.slots).sum();
  }

  /** Downloads that hold no slot but have work a line could take (their clients keep up). */
  public int waiting() {
    int count = 0;
    for (Download d : downloads.values()) {
      if (hasWork(d)
          && !clientBound(d)
          && lines.values().stream().noneMatch(l -> l.holders.containsKey(d.id))) {
        count++;
      }
    }
    return count;
  }

  /** The lines {@code download} holds a slot on. */
  public List<String> linesOf(long download) {
    List<String> held = new ArrayList<>();
    for (Line l : lines.values()) {
      if (l.holders.containsKey(download)) {
        held.add(l.id);
      }
    }
    return held;
  }

  /**
   * What to do now: shrink shares, hand out free slots, then give back a slot held long enough for
   * a download that trails (granted to it once returned).
   */
  public List<Decision> decide(long now) {
    List<Decision> out = new ArrayList<>();
    for (Line l : lines.values()) {
      yieldChecks(l, now, out);
      giveBackExcess(l, now, out);
      grantFree(l, now, out);
      rotate(l, now, out);
    }
    return out;
  }

  /**
   * Check jobs give their slots back when the line serves fewer than are held, or when a download
   * waits for the line and only check jobs stand in its way (no slot free or already coming back).
   */
  private void yieldChecks(Line l, long now, List<Decision> out) {
    while (!l.checkers.isEmpty()
        && (l.holders.size() + l.checkers.size() > l.slots
            || (l.free(now) <= 0
                && l.returning.isEmpty()
                && now >= l.blockedUntil
                && leastServedWaiting(l, now) != null))) {
      long download = l.checkers.remove(0);
      l.returning.add(now + RETURN_TIMEOUT_NANOS);
      out.add(new RevokeCheck(l.id, download));
    }
  }

  private void giveBackExcess(Line l, long now, List<Decision> out) {
    while (l.holders.size() > l.slots) {
      Download most = mostServedHolder(l, now);
      if (most == null) {
        return;
      }
      l.holders.remove(most.id);
      l.returning.add(now + RETURN_TIMEOUT_NANOS);
      out.add(new Revoke(l.id, most.id));
    }
  }

  private void grantFree(Line l, long now, List<Decision> out) {
    if (now < l.blockedUntil) {
      return;
    }
    while (l.free(now) > 0) {
      Download next = leastServedWaiting(l, now);
      if (next == null) {
        return;
      }
      l.holders.put(next.id, now);
      out.add(new Grant(l.id, next.id));
    }
  }

  private void rotate(Line l, long now, List<Decision> out) {
    if (l.free(now) > 0 || !l.returning.isEmpty() || now < l.blockedUntil) {
      return;
    }
    Download waiter = leastServedWaiting(l, now);
    if (waiter == null) {
      return;
    }
    Download crowded = mostLinesHolder(l, now);
    if (crowded != null && linesHeld(crowded.id) >= linesHeld(waiter.id) + 2) {
      // The first downloads took every line before the others came: even the count out first.
      l.holders.remove(crowded.id);
      l.returning.add(now + RETURN_TIMEOUT_NANOS);
      out.add(new Revoke(l.id, crowded.id));
      return;
    }
    Download holder = mostServedHolder(l, now);
    if (holder == null) {
      return;
    }
    long quantumBytes = (long) (l.bytesPerSec / Math.max(1, l.slots) * (quantumNanos / 1e9));
    if (holder.service() - waiter.service() > quantumBytes) {
      l.holders.remove(holder.id);
      l.returning.add(now + RETURN_TIMEOUT_NANOS);
      out.add(new Revoke(l.id, holder.id));
    }
  }

  /**
   * The holder of {@code l} holding the most lines, most served first, that has held this slot
   * {@link #SETTLE_NANOS}, or null.
   */
  private Download mostLinesHolder(Line l, long now) {
    Download most = null;
    for (Map.Entry<Long, Long> held : l.holders.entrySet()) {
      Download d = downloads.get(held.getKey());
      if (d != null && now - held.getValue() >= SETTLE_NANOS) {
        if (most == null
            || linesHeld(d.id) > linesHeld(most.id)
            || (linesHeld(d.id) == linesHeld(most.id) && d.service() > most.service())) {
          most = d;
        }
      }
    }
    return most;
  }

  /** The most-served holder of {@code l} that has held its slot a quantum, or null. */
  private Download mostServedHolder(Line l, long now) {
    Download most = null;
    for (Map.Entry<Long, Long> held : l.holders.entrySet()) {
      Download d = downloads.get(held.getKey());
      if (d != null && now - held.getValue() >= quantumNanos) {
        if (most == null || d.service() > most.service()) {
          most = d;
        }
      }
    }
    return most;
  }

  /** The least-served download with work for {@code l} that does not hold it, or null. */
  private Download leastServedWaiting(Line l, long now) {
    return downloads.values().stream()
        .filter(
            d ->
                !l.holders.containsKey(d.id)
                    && d.leftUntil.getOrDefault(l.id, Long.MIN_VALUE) <= now
                    && hasWork(d)
                    && !clientBound(d))
        .min(
            Comparator.comparingInt((Download d) -> linesHeld(d.id))
                .thenComparingLong(Download::service)
                .thenComparing(Comparator.comparingLong((Download d) -> d.remaining).reversed())
                .thenComparingLong(d -> d.startedNanos))
        .orElse(null);
  }

  private int linesHeld(long download) {
    int held = 0;
    for (Line l : lines.values()) {
      if (l.holders.containsKey(download)) {
        held++;
      }
    }
    return held;
  }

  private boolean hasWork(Download d) {
    return d.remaining > minWorkBytes;
  }

  /** Whether {@code d} already gets what its client reads, so another line would sit idle. */
  private boolean clientBound(Download d) {
    if (d.clientBytesPerSec <= 0) {
      return false;
    }
    return estimatedRate(d) >= d.clientBytesPerSec;
  }

  /** The home line's share of {@code d} plus its share of every line it holds. */
  private double estimatedRate(Download d) {
    double rate = downloads.isEmpty() ? 0 : (double) homeBytesPerSec / downloads.size();
    for (Line l : lines.values()) {
      if (l.holders.containsKey(d.id)) {
        rate += (double) l.bytesPerSec / Math.max(1, l.holders.size());
      }
    }
    return rate;
  }

  /** For tests and logs: line → downloads holding it. */
  public Map<String, List<Long>> holdings() {
    Map<String, List<Long>> view = new HashMap<>();
    lines.forEach((id, l) -> view.put(id, List.copyOf(l.holders.keySet())));
    return view;
  }
}
