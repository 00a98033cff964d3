package io.bamqp.proxy.sharing;

/** What this node has given neighbors this month, for the caps; {@link Ledger} keeps it. */
public interface SharingUsage {
  /** Bytes given to all peers this month. */
  long givenThisMonth();

  /** Bytes given to {@code peer} this month. */
  long givenThisMonth(String peer);
}
