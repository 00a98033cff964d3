package io.bamqp.planner;

import io.bamqp.planner.internal.RangePlanner;
import java.util.List;

/**
 * Decides which source fetches which bytes of one download, and when.
 *
 * <p>The planner is pure: it performs no I/O, starts no thread and never reads a clock. Every event
 * carries the time ({@code now}, in nanoseconds on any monotonic clock, never decreasing) and
 * answers the {@link Action actions} the caller must take, in order. Instances are not thread-safe;
 * a download session confines its planner to one event loop.
 *
 * <p>What it decides:
 *
 * <ul>
 *   <li><b>Split.</b> The file is handed out in chunks, lowest offset first, each sized to take
 *       about the same time on its source at that source's estimated rate (the offered rate until
 *       measured, then a smoothed measurement); near the end the remainder is shared so that every
 *       source finishes together.
 *   <li><b>Window.</b> No byte at or beyond {@code clientPosition + bufferBytes} is ever assigned,
 *       so the reorder buffer never holds more than {@code bufferBytes}. The window may change
 *       while the download runs ({@link #windowChanged}): a smaller one stops new assignments until
 *       the client has made room, and what was assigned before still arrives.
 *   <li><b>Latency.</b> A source's chunks last at least {@code 8 x RTT} where the window allows,
 *       and its next chunk is asked for one RTT (plus a margin) before the current one ends, so a
 *       high-RTT source gets larger ranges, claimed earlier and so further ahead.
 *   <li><b>Hedge.</b> When the client waits on a range whose source is slow and a faster source is
 *       idle, the remainder is duplicated there; the first copy to complete wins.
 *   <li><b>Stall and failure.</b> A failed source, or one silent for the stall timeout beyond its
 *       RTT, loses its assignments; their undelivered remainders are planned again first, from the
 *       last delivered byte, the lowest spread over every source so that they finish it together,
 *       ahead of their assignments not yet started (cancelled as {@link
 *       Action.Cancel.Reason#YIELDED} and planned again after it).
 * </ul>
 *
 * <p>The home line is {@link #HOME_SOURCE}. If it is the first source to join (or {@link
 * #awaitHome} held the others back until it joined), its first assignment has purpose {@link
 * Action.Assign.Purpose#INITIAL_RESPONSE} and starts at offset 0: the caller keeps reading the
 * response already flowing and closes it after the assigned last byte (the planner never lengthens
 * or shortens an issued assignment). Its later assignments are ordinary {@code Range} fetches.
 */
public interface ChunkPlanner {

  /** The id of the home line, whose response is already flowing from offset 0. */
  int HOME_SOURCE = 0;

  /** A planner for one download. */
  static ChunkPlanner create(PlannerConfig config) {
    return new RangePlanner(config);
  }

  /**
   * A source accepted work.
   *
   * @param sourceId unique among this planner's sources, retired ones included (a source that
   *     stalled or failed may come back under a new id); {@link #HOME_SOURCE} for the home line
   * @param offeredBytesPerSec the rate it offered, used until it is measured; {@code >= 1}
   * @param rttNanos its round-trip time to the origin, {@code >= 0}
   */
  List<Action> sourceJoined(int sourceId, long offeredBytesPerSec, long rttNanos, long now);

  /**
   * Sources that join before the home line get no work until it has joined, so that the first plan
   * shares the file among all of them and the home's first assignment is still its {@link
   * Action.Assign.Purpose#INITIAL_RESPONSE} at offset 0. For sources known at once (the home's own
   * other lines): without this, the home alone would be planned first and, with a long RTT, given
   * the whole file. Call before any source joins.
   */
  void awaitHome();

  /**
   * {@code bytes} more bytes of an assignment arrived (and were verified), continuing where the
   * previous delivery of that assignment stopped. Bytes of an assignment that is no longer live
   * (cancelled, or its source retired) are ignored, and the caller must drop them.
   */
  List<Action> delivered(long assignmentId, long bytes, long now);

  /**
   * An assignment's stream ended. An assignment completes by itself once all its bytes are
   * delivered, so this only matters when it ends short: its remainder is planned again.
   */
  List<Action> assignmentCompleted(long assignmentId, long now);

  /** A source failed: its assignments are cancelled and their remainders planned again. */
  List<Action> sourceFailed(int sourceId, long now);

  /** The client has been written every byte before {@code position}. */
  List<Action> clientAdvanced(long position, long now);

  /** Time passed with no other event: detects stalls and hands out work that time made due. */
  List<Action> tick(long now);

  /**
   * The reorder window is now {@code bufferBytes} (the node shares one budget among its downloads):
   * assignments from now on stay below {@code clientPosition + bufferBytes}.
   *
   * @throws IllegalArgumentException when {@code bufferBytes < 1}
   */
  List<Action> windowChanged(long bufferBytes, long now);

  /**
   * How far the plan reaches beyond the client: the bytes from {@link #clientPosition()} to the
   * first byte never assigned, an upper bound of what the reorder buffer may come to hold.
   */
  long aheadBytes();

  /** The bytes written to the client so far, as last reported. */
  long clientPosition();

  /** Whether every byte of the file has been delivered. */
  boolean isComplete();

  /** A snapshot of what the plan has cost so far. */
  PlannerCounters counters();
}
