package io.bamqp.proxy.sharing;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ledger's counters and their calendar: a new month zeroes the monthly figures, a new day the
 * daily one. Pure (the day is passed in); confined to the ledger's context.
 */
final class LedgerBook {
  private final Map<String, long[]> accounts = new TreeMap<>();
  private LocalDate day;

  private static final int GIVEN = 0;
  private static final int RECEIVED = 1;
  private static final int GIVEN_MONTH = 2;
  private static final int RECEIVED_MONTH = 3;
  private static final int GIVEN_TODAY = 4;

  LedgerBook(LedgerSnapshot start) {
    this.day = start.day();
    start
        .peers()
        .forEach(
            (peer, b) ->
                accounts.put(
                    peer,
                    new long[] {
                      b.given(),
                      b.received(),
                      b.givenThisMonth(),
                      b.receivedThisMonth(),
                      b.givenToday()
                    }));
  }

  /** Moves the book to {@code today}, zeroing what a new month or day starts afresh. */
  void rollTo(LocalDate today) {
    if (today.equals(day)) {
      return;
    }
    boolean newMonth = !YearMonth.from(today).equals(YearMonth.from(day));
    for (long[] account : accounts.values()) {
      account[GIVEN_TODAY] = 0;
      if (newMonth) {
        account[GIVEN_MONTH] = 0;
        account[RECEIVED_MONTH] = 0;
      }
    }
    day = today;
  }

  /** Counts bytes {@code given} to and {@code received} from {@code peer} on the book's day. */
  void add(String peer, long given, long received) {
    if (given == 0 && received == 0) {
      return;
    }
    long[] account = accounts.computeIfAbsent(peer, p -> new long[5]);
    account[GIVEN] += given;
    account[GIVEN_MONTH] += given;
    account[GIVEN_TODAY] += given;
    account[RECEIVED] += received;
    account[RECEIVED_MONTH] += received;
  }

  LedgerSnapshot snapshot() {
    Map<String, Balance> peers = new TreeMap<>();
    accounts.forEach(
        (peer, a) ->
            peers.put(
                peer,
                new Balance(
                    a[GIVEN], a[RECEIVED], a[GIVEN_MONTH], a[RECEIVED_MONTH], a[GIVEN_TODAY])));
    return new LedgerSnapshot(day, peers);
  }
}
