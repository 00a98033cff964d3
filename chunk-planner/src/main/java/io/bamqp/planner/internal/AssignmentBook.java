package io.bamqp.planner.internal;

import io.bamqp.planner.Action;
import io.bamqp.planner.Action.Assign.Purpose;
import io.bamqp.planner.ByteRange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every live assignment, indexed by id and by offset, with the re-plan queue: the ledger that
 * guarantees each byte is either delivered, live on exactly one range (two for a hedged pair), or
 * waiting to be planned again.
 */
final class AssignmentBook {
  private final Map<Long, Assignment> byId = new HashMap<>();

  /** Live assignments by first offset; hedge copies are not here, their originals are. */
  private final TreeMap<Long, Assignment> byOffset = new TreeMap<>();

  final ReplanQueue replan = new ReplanQueue();
  private long nextId;
  long hedgedBytes;
  long replannedBytes;

  Assignment find(long id) {
    return byId.get(id);
  }

  boolean isEmpty() {
    return byId.isEmpty();
  }

  /** The live range with the lowest offset: the one the client will wait on next. */
  Assignment lowest() {
    Map.Entry<Long, Assignment> e = byOffset.firstEntry();
    return e == null ? null : e.getValue();
  }

  /** Records a new assignment and the action announcing it. */
  Assignment issue(SourceState s, ByteRange range, Purpose purpose, long now, List<Action> out) {
    Assignment a = new Assignment(nextId++, s, range, purpose, now);
    byId.put(a.id, a);
    if (purpose != Purpose.HEDGE) {
      byOffset.put(range.first(), a);
    }
    s.queue.addLast(a);
    s.undeliveredBytes += range.length();
    out.add(new Action.Assign(s.id, a.id, range, purpose));
    return a;
  }

  /** Duplicates the remainder of {@code original} on {@code copier}. */
  void hedge(Assignment original, SourceState copier, long now, List<Action> out) {
    ByteRange rest = new ByteRange(original.firstMissing(), original.range.last());
    Assignment copy = issue(copier, rest, Purpose.HEDGE, now, out);
    copy.twin = original;
    original.twin = copy;
    hedgedBytes += rest.length();
  }

  /** {@code a} delivered its last byte: it leaves the book, and its other copy is cancelled. */
  void complete(Assignment a, List<Action> out) {
    remove(a);
    Assignment twin = a.twin;
    if (twin != null) {
      out.add(new Action.Cancel(twin.id, Action.Cancel.Reason.HEDGE_LOST));
      remove(twin);
      twin.twin = null;
      a.twin = null;
    }
  }

  /**
   * Takes {@code a} back unfinished. A surviving copy keeps the range (and learns how far this one
   * got); otherwise the remainder, from the first byte no copy delivered, waits to be planned
   * again.
   *
   * @param reason the cancel to announce, or {@code null} when the stream already ended
   */
  void takeBack(Assignment a, Action.Cancel.Reason reason, List<Action> out) {
    if (reason != null) {
      out.add(new Action.Cancel(a.id, reason));
    }
    remove(a);
    long firstMissing = a.firstMissing();
    Assignment twin = a.twin;
    if (twin != null) {
      twin.twin = null;
      a.twin = null;
      twin.arrivedElsewhereUpTo = Math.max(twin.arrivedElsewhereUpTo, firstMissing);
      if (byOffset.get(twin.range.first()) != twin) {
        byOffset.put(twin.range.first(), twin); // the copy now stands alone
      }
    } else if (firstMissing <= a.range.last()) {
      ByteRange rest = new ByteRange(firstMissing, a.range.last());
      replan.add(rest);
      replannedBytes += rest.length();
    }
  }

  private void remove(Assignment a) {
    byId.remove(a.id);
    byOffset.remove(a.range.first(), a);
    a.source.queue.remove(a);
    a.source.undeliveredBytes -= a.remaining();
  }
}
