package io.bamqp.planner.sim;

import io.bamqp.planner.Action.Assign;
import io.bamqp.planner.Action.Assign.Purpose;
import java.util.ArrayDeque;
import java.util.Deque;

/** One modelled source's line: its true rate, its queue of ranges, and whether it still lives. */
final class SimLink {

  /** Where a link's bytes go. */
  interface Sink {
    /** Room left in the reorder buffer. */
    long room();

    /** {@code bytes} of {@code job}, starting at {@code offset}, arrived at {@code at}. */
    void deliver(Job job, long offset, long bytes, long at);
  }

  /** One assigned range as the line serves it. */
  static final class Job {
    final Assign assign;
    final long firstByteAt;
    long startAt = -1;
    double progress;
    long reported;

    Job(Assign assign, long firstByteAt) {
      this.assign = assign;
      this.firstByteAt = firstByteAt;
    }
  }

  private static final double NANOS_PER_SECOND = 1e9;

  final SourceModel model;
  double bytesPerSec;
  boolean dead;
  long backPressurePauses;
  private final Deque<Job> queue = new ArrayDeque<>();
  private long previousEndAt;

  SimLink(SourceModel model) {
    this.model = model;
    this.bytesPerSec = model.bytesPerSec();
  }

  void enqueue(Assign assign, long now) {
    boolean flowing = assign.purpose() == Purpose.INITIAL_RESPONSE;
    queue.addLast(new Job(assign, flowing ? now : now + model.rttNanos()));
  }

  void cancel(long assignmentId, long now) {
    Job head = queue.peekFirst();
    if (head != null && head.assign.assignmentId() == assignmentId && head.startAt >= 0) {
      previousEndAt = Math.max(previousEndAt, now);
    }
    queue.removeIf(j -> j.assign.assignmentId() == assignmentId);
  }

  void die(boolean silent) {
    dead = true;
    if (!silent) {
      queue.clear();
    }
  }

  /**
   * Moves the bytes the line carries between {@code from} and {@code to}, reported at {@code to}.
   */
  void advance(long from, long to, Sink sink) {
    double cursor = from;
    while (!dead && !queue.isEmpty()) {
      Job job = queue.peekFirst();
      if (job.startAt < 0) {
        job.startAt = Math.max(job.firstByteAt, previousEndAt);
      }
      double start = Math.max(cursor, job.startAt);
      if (start >= to) {
        return;
      }
      long length = job.assign.range().length();
      double need = length - job.progress;
      double can = (to - start) * bytesPerSec / NANOS_PER_SECOND;
      boolean finishes = can >= need;
      long target = finishes ? length : (long) Math.floor(job.progress + can);
      long bytes = target - job.reported;
      if (bytes > sink.room()) {
        backPressurePauses++;
        bytes = Math.max(0, sink.room());
        finishes = false;
        can = job.reported + bytes - job.progress;
      }
      job.progress += finishes ? need : can;
      cursor = finishes ? start + need * NANOS_PER_SECOND / bytesPerSec : to;
      if (finishes) {
        queue.pollFirst();
        previousEndAt = (long) Math.ceil(cursor);
      }
      long offset = job.assign.range().first() + job.reported;
      job.reported += bytes;
      if (bytes > 0) {
        sink.deliver(job, offset, bytes, to);
      }
      if (!finishes) {
        return;
      }
    }
  }
}
