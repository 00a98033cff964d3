package io.bamqp.peer.internal;

import io.bamqp.security.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a helper shares its job slots between homes, max-min: the homes declined as busy wait in
 * order; a slot that frees is held for the waiting home with the fewest jobs (then the earliest)
 * for {@link #RESERVATION_MILLIS}; and each home's share is its max-min part of the slots, where a
 * home that waits wants without bound and one that does not wants what it holds. Time is passed in
 * (nanoseconds). Confined to the helper's event loop, with its {@link JobTable}.
 */
final class HomeQueue {
  /** When a queued home without a held slot should offer again: 500 ms. */
  static final long RETRY_MILLIS = 500;

  /** How long a freed slot waits for the queued home it is held for: 3 s. */
  static final long RESERVATION_MILLIS = 3_000;

  /** A queued home not heard from for this long leaves the queue: 10 s. */
  static final long FORGET_MILLIS = 10_000;

  private static final long MS = 1_000_000L;

  /** Waiting homes, in order, with when each last offered. */
  private final Map<PeerId, Long> waiting = new LinkedHashMap<>();

  /** Freed slots held for a home, until when. */
  private final List<Map.Entry<PeerId, Long>> reservations = new ArrayList<>();

  /** Whether {@code home} may take a slot now, {@code held} of {@code max} being taken. */
  boolean mayTake(PeerId home, int held, int max, long now) {
    expire(now);
    if (reservations.stream().anyMatch(r -> r.getKey().equals(home))) {
      return held + reservations.size() - 1 < max;
    }
    return held + reservations.size() < max;
  }

  /** {@code home} took a slot: its reservation, if any, is used and it waits no more. */
  void took(PeerId home) {
    waiting.remove(home);
    for (Iterator<Map.Entry<PeerId, Long>> it = reservations.iterator(); it.hasNext(); ) {
      if (it.next().getKey().equals(home)) {
        it.remove();
        return;
      }
    }
  }

  /** Queues {@code home} (or keeps its place) and answers its position, 1 being next. */
  int waiting(PeerId home, long now) {
    expire(now);
    waiting.put(home, now);
    int position = 1;
    for (PeerId queued : waiting.keySet()) {
      if (queued.equals(home)) {
        return position;
      }
      position++;
    }
    return position;
  }

  /** When {@code home}, declined, should offer again: at once if a slot is held for it. */
  long retryAfterMillis(PeerId home, long now) {
    expire(now);
    boolean reserved = reservations.stream().anyMatch(r -> r.getKey().equals(home));
    return reserved ? 0 : RETRY_MILLIS;
  }

  /** A slot freed: it is held for the waiting home with the fewest jobs, if any waits. */
  void slotFreed(Map<PeerId, Integer> held, long now) {
    expire(now);
    waiting.keySet().stream()
        .min(Comparator.comparingInt((PeerId h) -> held.getOrDefault(h, 0)))
        .ifPresent(
            next -> {
              waiting.remove(next);
              reservations.add(Map.entry(next, now + RESERVATION_MILLIS * MS));
            });
  }

  /** {@code home}'s max-min share of {@code max} slots, {@code home} itself wanting more. */
  int share(PeerId home, Map<PeerId, Integer> held, int max, long now) {
    expire(now);
    Map<PeerId, Long> demand = new HashMap<>();
    held.forEach((h, n) -> demand.put(h, (long) n));
    waiting.keySet().forEach(h -> demand.put(h, Long.MAX_VALUE));
    reservations.forEach(r -> demand.put(r.getKey(), Long.MAX_VALUE));
    demand.put(home, Long.MAX_VALUE);
    List<Long> wants = new ArrayList<>(demand.values());
    wants.sort(null);
    long left = max;
    int homes = wants.size();
    for (int i = 0; i < wants.size(); i++) {
      long fair = (left + (homes - i) - 1) / (homes - i); // rounded up: a share is advice
      if (wants.get(i) == Long.MAX_VALUE) {
        return (int) Math.max(0, fair);
      }
      left -= Math.min(wants.get(i), fair);
    }
    return (int) Math.max(0, left);
  }

  private void expire(long now) {
    reservations.removeIf(r -> r.getValue() <= now);
    waiting.values().removeIf(heard -> now - heard > FORGET_MILLIS * MS);
  }
}
