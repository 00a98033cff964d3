package io.bamqp.testbed.internal;

/**
 * The faults one response is subject to, fixed when it starts.
 *
 * @param ignoreRange answer 200 with the whole body whatever the {@code Range}
 * @param resetAfter close the connection after this many body bytes, or {@link FaultState#OFF}
 * @param stallAfter stop writing after this many body bytes, keeping the connection open, or {@link
 *     FaultState#OFF}
 */
public record FaultPlan(boolean ignoreRange, long resetAfter, long stallAfter) {

  /** No fault. */
  public static final FaultPlan NONE = new FaultPlan(false, FaultState.OFF, FaultState.OFF);

  /** Body bytes this response may write before its next fault, or {@code Long.MAX_VALUE}. */
  long bytesBeforeFault(long sent) {
    long limit = Long.MAX_VALUE;
    if (resetAfter >= 0) {
      limit = Math.min(limit, resetAfter - sent);
    }
    if (stallAfter >= 0) {
      limit = Math.min(limit, stallAfter - sent);
    }
    return Math.max(0, limit);
  }
}
