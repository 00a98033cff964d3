package io.bamqp.proxy.aggregation;

import io.bamqp.planner.Action;
import java.util.ArrayDeque;

/**
 * One source's assignments: at most {@code limit} are fetched at once, and the planner's further
 * assignments to it wait their turn, in the order they came. A helper serves only so many fetches
 * per job, so it is never asked for more.
 *
 * <p>Confined to the session's event loop.
 */
final class FetchQueue {
  private final int limit;
  private final ArrayDeque<Action.Assign> waiting = new ArrayDeque<>();
  private int fetching;

  /**
   * @param limit fetches at once
   */
  FetchQueue(int limit) {
    this.limit = limit;
  }

  /**
   * Takes a fetch slot for {@code assign} and answers true, or, with every slot taken, queues it
   * and answers false.
   */
  boolean admit(Action.Assign assign) {
    if (fetching >= limit) {
      waiting.add(assign);
      return false;
    }
    fetching++;
    return true;
  }

  /** A fetch is over (ended, failed or cancelled): its slot is free. */
  void fetchEnded() {
    fetching--;
  }

  /** The assignment that waited longest, taken off the queue; null when none waits. */
  Action.Assign next() {
    return waiting.poll();
  }

  /** The planner cancelled an assignment that may still be waiting here: it never starts. */
  void drop(long assignmentId) {
    waiting.removeIf(queued -> queued.assignmentId() == assignmentId);
  }

  /** The source gets no more work: nothing waiting starts. */
  void clear() {
    waiting.clear();
  }

  /** Fetches holding a slot now. */
  int fetching() {
    return fetching;
  }

  /** Assignments waiting for a slot. */
  int waiting() {
    return waiting.size();
  }
}
