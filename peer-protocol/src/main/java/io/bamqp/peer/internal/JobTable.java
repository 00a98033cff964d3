package io.bamqp.peer.internal;

import io.bamqp.peer.HelperOptions;
import io.bamqp.peer.JobAnswer;
import io.bamqp.peer.JobOffer;
import io.bamqp.security.Destination;
import io.bamqp.security.PeerId;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The jobs a helper holds: one slot each, at most {@code maxConcurrentJobs}. A job with no range
 * fetch in flight for {@code jobIdleTimeout} is dropped, so a home that vanished does not hold a
 * slot. Jobs belong to the home that offered them (its ID): two homes may use the same job id, and
 * one home cannot touch another's jobs. Confined to the helper's event loop.
 *
 * <p>Homes share the slots max-min ({@link HomeQueue}): a home declined as busy is queued, a slot
 * that frees is held for the queue's head for {@link HomeQueue#RESERVATION_MILLIS}, and each answer
 * to a home that reads the queue fields tells it its share, which it keeps to.
 */
final class JobTable {

  /** How long a job's ranges reuse the address the guard checked for its URL: one minute. */
  static final long PIN_NANOS = 60_000_000_000L;

  /** One accepted job and the range fetches it has in flight. */
  final class Job {
    final JobOffer offer;
    final PeerId owner;
    final Set<RangeRelay> fetches = new HashSet<>();
    private final String key;
    private long idleTimer = -1;
    private String pinnedUrl;
    private Destination pinned;
    private long pinnedAt;

    private Job(PeerId owner, JobOffer offer) {
      this.owner = owner;
      this.offer = offer;
      this.key = key(owner, offer.jobId());
    }

    /** Registers a fetch; false when the job already has {@code MAX_FETCHES_PER_JOB}. */
    boolean startFetch(RangeRelay relay) {
      if (fetches.size() >= HelperOptions.MAX_FETCHES_PER_JOB) {
        return false;
      }
      fetches.add(relay);
      cancelIdleTimer();
      return true;
    }

    /** Unregisters a fetch; the idle clock starts again when it was the last. */
    void endFetch(RangeRelay relay) {
      if (fetches.remove(relay) && fetches.isEmpty() && jobs.get(key) == this) {
        armIdleTimer();
      }
    }

    /**
     * Where {@code url} connects, if the guard passed it for this job less than {@link #PIN_NANOS}
     * ago; else null and the guard is asked again. A job's ranges name one URL: one lookup hop per
     * minute rather than one per range, and every range of that minute goes to the address that was
     * checked.
     */
    Destination pinned(String url) {
      return url.equals(pinnedUrl) && now() - pinnedAt < PIN_NANOS ? pinned : null;
    }

    /** Remembers that the guard passed {@code url} for {@code destination} just now. */
    void pin(String url, Destination destination) {
      pinnedUrl = url;
      pinned = destination;
      pinnedAt = now();
    }

    private void armIdleTimer() {
      cancelIdleTimer();
      idleTimer =
          vertx.setTimer(
              idleTimeoutMillis,
              id -> {
                idleTimer = -1;
                if (fetches.isEmpty() && jobs.remove(key, this)) {
                  queue.slotFreed(heldByHome(), now());
                }
              });
    }

    private void cancelIdleTimer() {
      if (idleTimer != -1) {
        vertx.cancelTimer(idleTimer);
        idleTimer = -1;
      }
    }
  }

  private final Vertx vertx;
  private final SharingState sharing;
  private final long idleTimeoutMillis;
  private final Map<String, Job> jobs = new HashMap<>();
  private final HomeQueue queue = new HomeQueue();

  JobTable(Vertx vertx, HelperOptions options, SharingState sharing) {
    this.vertx = vertx;
    this.sharing = sharing;
    this.idleTimeoutMillis = options.jobIdleTimeout().toMillis();
  }

  private static String key(PeerId owner, String jobId) {
    return owner + "/" + jobId;
  }

  /**
   * Answers an offer: accepted when sharing is on and a slot is free for this home (not held for a
   * queued home). Offering a live job again accepts it again without a second slot (a home retrying
   * a lost answer). A busy decline queues a {@code queueAware} home and tells it its share, queue
   * position and when to offer again; an older home gets the answer of old and is not queued (it
   * would not come back for a held slot).
   */
  JobAnswer offer(PeerId owner, JobOffer offer, boolean queueAware) {
    if (!sharing.enabled()) {
      return JobAnswer.decline("sharing is off");
    }
    long now = now();
    int max = sharing.maxConcurrentJobs();
    String key = key(owner, offer.jobId());
    Job existing = jobs.get(key);
    if (existing == null && !queue.mayTake(owner, jobs.size(), max, now)) {
      JobAnswer busy = JobAnswer.decline("busy: " + jobs.size() + " of " + max + " jobs");
      if (!queueAware) {
        // An older home does not come back for a held slot: it is not queued.
        return busy;
      }
      int position = queue.waiting(owner, now);
      return busy.withSlots(queue.share(owner, heldByHome(), max, now))
          .queued(position, queue.retryAfterMillis(owner, now));
    }
    Job job = existing != null ? existing : new Job(owner, offer);
    if (existing == null) {
      queue.took(owner);
    }
    jobs.put(key, job);
    if (job.fetches.isEmpty()) {
      job.armIdleTimer();
    }
    JobAnswer accepted = JobAnswer.accept(sharing.rateBytesPerSec());
    return queueAware ? accepted.withSlots(queue.share(owner, heldByHome(), max, now)) : accepted;
  }

  /** Jobs held now, by home. */
  private Map<PeerId, Integer> heldByHome() {
    Map<PeerId, Integer> held = new HashMap<>();
    for (Job job : jobs.values()) {
      held.merge(job.owner, 1, Integer::sum);
    }
    return held;
  }

  private static long now() {
    return System.nanoTime();
  }

  /** The live job {@code jobId} of {@code owner}, or null. */
  Job find(PeerId owner, String jobId) {
    return jobs.get(key(owner, jobId));
  }

  /** Drops a job of {@code owner} and aborts its fetches; nothing happens for an unknown job. */
  void release(PeerId owner, String jobId) {
    Job job = jobs.remove(key(owner, jobId));
    if (job != null) {
      job.cancelIdleTimer();
      queue.slotFreed(heldByHome(), now());
      for (RangeRelay relay : Set.copyOf(job.fetches)) {
        relay.abort("the job was released");
      }
    }
  }

  /** Drops every job, aborting their fetches. */
  void clear() {
    for (Job job : Set.copyOf(jobs.values())) {
      release(job.owner, job.offer.jobId());
    }
  }
}
