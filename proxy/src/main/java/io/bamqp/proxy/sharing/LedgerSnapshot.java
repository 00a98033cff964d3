package io.bamqp.proxy.sharing;

import java.time.LocalDate;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The ledger at one moment, for the statistics page: each peer's {@link Balance}, sorted by peer
 * ID, and their sum.
 *
 * @param day the day "today" and "this month" refer to
 */
public record LedgerSnapshot(LocalDate day, Map<String, Balance> peers) {

  public LedgerSnapshot {
    Objects.requireNonNull(day, "day");
    peers = Collections.unmodifiableMap(new TreeMap<>(peers));
  }

  /** An empty ledger on {@code day}. */
  public static LedgerSnapshot empty(LocalDate day) {
    return new LedgerSnapshot(day, Map.of());
  }

  /** What {@code peer} has been given and has given; {@link Balance#ZERO} for a stranger. */
  public Balance balance(String peer) {
    return peers.getOrDefault(peer, Balance.ZERO);
  }

  /** Every peer together. */
  public Balance totals() {
    return peers.values().stream().reduce(Balance.ZERO, Balance::plus);
  }
}
