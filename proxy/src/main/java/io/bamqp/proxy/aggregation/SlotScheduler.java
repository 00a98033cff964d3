package io.bamqp.proxy.aggregation;

import io.bamqp.peer.HelperOptions;
import io.bamqp.planner.SlotAllocator;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node's one scheduler of neighbor job slots across its concurrent aggregated downloads: a
 * session asks it for neighbors instead of offering its job to all of them, and {@link
 * SlotAllocator} decides which download each slot serves (every line kept busy while a download has
 * work for it, max-min fair over time, a download's slots handed on when it ends). A home never
 * holds more jobs on a helper than the helper's last answer said it serves this home; a busy answer
 * blocks that line until the helper's retry time, and the slot is offered again then, to whichever
 * download needs it most.
 *
 * <p>Thread-safe: sessions may live on several event loops. One lock over the allocator and the
 * seats, held for in-memory updates only; what a decision asks of a session runs afterwards, on the
 * session's own context.
 */
final class SlotScheduler {

  /** How often slots are reconsidered while downloads run: 250 ms. */
  static final long DECIDE_MILLIS = 250;

  /** A neighbor that declined for another reason than busy (or failed) is asked again after 5 s. */
  static final long DECLINED_RETRY_MILLIS = 5_000;

  private static final long MS = 1_000_000L;

  /** What a download does when the scheduler hands it a slot or takes one back. */
  interface Seat {
    /**
     * Offer the job to {@code neighbor}; report with {@link Ticket#joined}/{@link
     * Ticket#notJoined}.
     */
    void grant(Neighbor neighbor);

    /** Stop using {@code neighbor} and release the job there. */
    void revoke(Neighbor neighbor);

    /** End the check job on {@code neighbor}: a download waits for its slot. */
    void revokeCheck(Neighbor neighbor);
  }

  /** A download's place in the schedule. */
  final class Ticket {
    private final long id;
    private final Context context;
    private final Seat seat;

    private Ticket(long id, Context context, Seat seat) {
      this.id = id;
      this.context = context;
      this.seat = seat;
    }

    /**
     * Where the download stands: bytes received, bytes left, and its client's read rate when the
     * client holds it back (0 when it keeps up).
     */
    void progressed(long received, long remaining, long clientBytesPerSec) {
      synchronized (SlotScheduler.this) {
        allocator.progressed(id, received, remaining, clientBytesPerSec);
      }
    }

    /** {@code neighbor} took the job at {@code bytesPerSec}. */
    void joined(Neighbor neighbor, long bytesPerSec) {
      synchronized (SlotScheduler.this) {
        rates.put(neighbor.name(), Math.max(1, bytesPerSec));
      }
    }

    /**
     * {@code neighbor} did not take the job ({@code why}), or the download no longer wanted it
     * ({@code why == null}): its slot is free, and after a refusal the line waits a while.
     */
    void notJoined(Neighbor neighbor, Throwable why) {
      long retry =
          why == null
              ? 0
              : why instanceof NeighborBusy busy ? busy.retryAfterMillis() : DECLINED_RETRY_MILLIS;
      synchronized (SlotScheduler.this) {
        allocator.released(neighbor.name(), id);
        if (retry > 0) {
          allocator.blocked(neighbor.name(), System.nanoTime() + retry * MS);
        }
        if (why instanceof NeighborBusy) {
          busyAnswers++;
        }
      }
      if (retry == 0) {
        decide();
      }
    }

    /**
     * The download gave up its job on {@code neighbor} (stalled or failed there) and released it:
     * the slot goes on once the release is confirmed ({@link SlotAllocator#left}).
     */
    void left(Neighbor neighbor) {
      synchronized (SlotScheduler.this) {
        allocator.left(neighbor.name(), id, System.nanoTime());
      }
      decide();
    }

    /**
     * Whether the download may open a check job on {@code neighbor} now ({@link
     * SlotAllocator#checkWanted}); if so the slot is counted as held until {@link #checkEnded}.
     */
    boolean mayCheck(Neighbor neighbor) {
      synchronized (SlotScheduler.this) {
        refreshLines();
        return allocator.checkWanted(neighbor.name(), id, System.nanoTime());
      }
    }

    /**
     * The check job on {@code neighbor} ended: released after the helper took it ({@code why ==
     * null}), or never taken ({@code why}: a busy answer blocks the line as for any job).
     */
    void checkEnded(Neighbor neighbor, Throwable why) {
      synchronized (SlotScheduler.this) {
        allocator.checkReleased(neighbor.name(), id, why == null, System.nanoTime());
        if (why instanceof NeighborBusy busy) {
          allocator.blocked(neighbor.name(), System.nanoTime() + busy.retryAfterMillis() * MS);
          busyAnswers++;
        }
      }
      if (why != null) {
        decide();
      }
    }

    /** The download is over; its jobs are being released. */
    void ended() {
      synchronized (SlotScheduler.this) {
        allocator.downloadEnded(id, System.nanoTime());
        tickets.remove(id);
        if (tickets.isEmpty() && timer != -1) {
          vertx.cancelTimer(timer);
          timer = -1;
        }
      }
      decide();
    }
  }

  /** The node-wide picture for the statistics page. */
  record Picture(
      int downloads,
      int slotsHeld,
      int slotsServed,
      int waiting,
      Map<String, Integer> heldByLine) {}

  private final Vertx vertx;
  private final Neighbors neighbors;
  private final SlotAllocator allocator = new SlotAllocator();
  private final Map<Long, Ticket> tickets = new LinkedHashMap<>();
  private final Map<String, Neighbor> lines = new HashMap<>();
  private final Map<String, Long> rates = new HashMap<>();
  private final long homeBytesPerSec;
  private long nextId;
  private long timer = -1;
  private long busyAnswers;

  SlotScheduler(Vertx vertx, Neighbors neighbors, long homeBytesPerSec) {
    this.vertx = vertx;
    this.neighbors = neighbors;
    this.homeBytesPerSec = homeBytesPerSec;
    allocator.homeLine(homeBytesPerSec);
    neighbors.onJobReleased(this::returned);
  }

  /**
   * Enlists a download of {@code bytes}; its seat is called on the caller's context (the session's
   * event loop) from now on.
   */
  Ticket enlist(long bytes, Seat seat) {
    Ticket ticket;
    synchronized (this) {
      ticket = new Ticket(nextId++, vertx.getOrCreateContext(), seat);
      tickets.put(ticket.id, ticket);
      allocator.downloadStarted(ticket.id, bytes, System.nanoTime());
      if (timer == -1) {
        timer = vertx.setPeriodic(DECIDE_MILLIS, tick -> decide());
      }
    }
    decide();
    return ticket;
  }

  /** A job on the line {@code name} was released: the slot is free on the helper's side too. */
  private void returned(String name) {
    synchronized (this) {
      allocator.returned(name);
    }
    decide();
  }

  /** Brings the lines up to date, asks the allocator, then has the sessions act. */
  void decide() {
    List<Runnable> acts = new ArrayList<>();
    synchronized (this) {
      refreshLines();
      for (SlotAllocator.Decision decision : allocator.decide(System.nanoTime())) {
        Ticket ticket = tickets.get(decision.download());
        Neighbor neighbor = lines.get(decision.line());
        if (ticket == null || neighbor == null) {
          continue;
        }
        if (decision instanceof SlotAllocator.Grant) {
          acts.add(() -> ticket.context.runOnContext(v -> ticket.seat.grant(neighbor)));
        } else if (decision instanceof SlotAllocator.Revoke) {
          acts.add(() -> ticket.context.runOnContext(v -> ticket.seat.revoke(neighbor)));
        } else {
          acts.add(() -> ticket.context.runOnContext(v -> ticket.seat.revokeCheck(neighbor)));
        }
      }
    }
    acts.forEach(Runnable::run);
  }

  /** Caller holds {@code this}. */
  private void refreshLines() {
    Map<String, Neighbor> usable = new HashMap<>();
    for (Neighbor neighbor : neighbors.usable()) {
      usable.put(neighbor.name(), neighbor);
    }
    for (String gone : List.copyOf(lines.keySet())) {
      if (!usable.containsKey(gone)) {
        lines.remove(gone);
        allocator.lineGone(gone);
      }
    }
    usable.forEach(
        (name, neighbor) -> {
          lines.put(name, neighbor);
          int slots = neighbor.slots();
          allocator.line(
              name,
              slots >= 0 ? slots : HelperOptions.DEFAULT_MAX_CONCURRENT_JOBS,
              rates.getOrDefault(name, homeBytesPerSec));
        });
  }

  /** The node-wide picture now. */
  synchronized Picture picture() {
    Map<String, Integer> held = new TreeMap<>();
    allocator.holdings().forEach((line, downloads) -> held.put(line, downloads.size()));
    return new Picture(
        allocator.downloads(),
        allocator.slotsHeld(),
        allocator.slotsServed(),
        allocator.waiting(),
        held);
  }

  /** Busy answers seen in this node's life (each became a wait, not a lost source). */
  synchronized long busyAnswers() {
    return busyAnswers;
  }
}
