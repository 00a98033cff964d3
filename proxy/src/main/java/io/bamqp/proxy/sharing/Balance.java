package io.bamqp.proxy.sharing;

/**
 * Bytes exchanged with one peer (or with all of them): given is what this node fetched for it as a
 * helper, received what it fetched for this node as home. Month and day are the calendar's, in the
 * node's time zone.
 */
public record Balance(
    long given, long received, long givenThisMonth, long receivedThisMonth, long givenToday) {

  /** Nothing exchanged. */
  public static final Balance ZERO = new Balance(0, 0, 0, 0, 0);

  public Balance {
    if (given < 0
        || received < 0
        || givenThisMonth < 0
        || receivedThisMonth < 0
        || givenToday < 0) {
      throw new IllegalArgumentException("a balance counts bytes, never fewer than 0");
    }
  }

  /** Both balances together. */
  public Balance plus(Balance other) {
    return new Balance(
        given + other.given,
        received + other.received,
        givenThisMonth + other.givenThisMonth,
        receivedThisMonth + other.receivedThisMonth,
        givenToday + other.givenToday);
  }
}
