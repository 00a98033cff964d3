package io.bamqp.proxy.sharing;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test sets by hand, in UTC. */
final class SettableClock extends Clock {
  private volatile Instant now;

  SettableClock(LocalDateTime start) {
    set(start);
  }

  void set(LocalDateTime time) {
    now = time.toInstant(ZoneOffset.UTC);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a test clock stays in UTC");
  }

  @Override
  public Instant instant() {
    return now;
  }
}
