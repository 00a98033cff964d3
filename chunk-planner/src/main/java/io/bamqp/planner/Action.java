package io.bamqp.planner;

/**
 * What the planner asks its caller to do, in the order it asks. Every event answers a list of
 * actions; the caller carries them out before it reports the next event.
 */
public sealed interface Action permits Action.Assign, Action.Cancel {

  /**
   * Fetch {@code range} on source {@code sourceId} and report its bytes, in order, with {@link
   * ChunkPlanner#delivered}. A source serves its assignments in the order it received them; the
   * planner asks for the next one about one round trip before the current one ends, so a caller may
   * pipeline the request (or open it on a second connection).
   *
   * @param sourceId the source that fetches
   * @param assignmentId names this assignment in every later event and action; never reused
   * @param range the bytes to fetch
   * @param purpose why the range exists, which tells the caller how to fetch it
   */
  record Assign(int sourceId, long assignmentId, ByteRange range, Purpose purpose)
      implements Action {

    /** Why an assignment exists. */
    public enum Purpose {
      /**
       * The home line's response that is already flowing from offset 0: the caller sends no
       * request, keeps reading it and closes it once {@code range.last()} has been read.
       */
      INITIAL_RESPONSE,
      /** New bytes, next in line: a {@code Range} request. */
      FETCH,
      /** The unwritten remainder of a range whose source failed, stalled or ended short. */
      REPLAN,
      /**
       * A duplicate of the remainder of the range holding the client back, on a faster idle source.
       * Both copies race; when one completes the planner cancels the other. Bytes the caller
       * already holds are dropped, never written twice.
       */
      HEDGE
    }
  }

  /**
   * Stop fetching an assignment and drop whatever of it arrives afterwards: the planner has planned
   * those bytes elsewhere, or another copy already delivered them.
   *
   * @param assignmentId the assignment to stop
   * @param reason why, for logs and counters
   */
  record Cancel(long assignmentId, Reason reason) implements Action {

    /** Why an assignment is cancelled. */
    public enum Reason {
      /** The other copy of a hedged range completed first. */
      HEDGE_LOST,
      /** Its source delivered nothing for longer than the stall timeout allows. */
      STALLED,
      /** Its source was reported failed. */
      SOURCE_FAILED,
      /**
       * It had not started, and its source is needed first for bytes the client will wait on sooner
       * (a dead source's remainder): the range is planned again after those. The source is not at
       * fault.
       */
      YIELDED
    }
  }
}
