package io.bamqp.peer.internal;

import io.bamqp.peer.HelperOptions;
import io.bamqp.peer.JobAnswer;
import io.bamqp.peer.JobOffer;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The jobs a helper holds: one slot each, at most {@code maxConcurrentJobs}. A job with no range
 * fetch in flight for {@code jobIdleTimeout} is dropped, so a home that vanished does not hold a
 * slot. Confined to the helper's event loop.
 */
final class JobTable {

  /** One accepted job and the range fetches it has in flight. */
  final class Job {
    final JobOffer offer;
    final Set<RangeRelay> fetches = new HashSet<>();
    private long idleTimer = -1;

    private Job(JobOffer offer) {
      this.offer = offer;
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
      if (fetches.remove(relay) && fetches.isEmpty() && jobs.get(offer.jobId()) == this) {
        armIdleTimer();
      }
    }

    private void armIdleTimer() {
      cancelIdleTimer();
      idleTimer =
          vertx.setTimer(
              idleTimeoutMillis,
              id -> {
                idleTimer = -1;
                if (fetches.isEmpty()) {
                  jobs.remove(offer.jobId(), this);
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
  private final HelperOptions options;
  private final long idleTimeoutMillis;
  private final Map<String, Job> jobs = new HashMap<>();

  JobTable(Vertx vertx, HelperOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.idleTimeoutMillis = options.jobIdleTimeout().toMillis();
  }

  /**
   * Answers an offer: accepted when sharing is on and a slot is free. Offering a live job again
   * accepts it again without a second slot (a home retrying a lost answer).
   */
  JobAnswer offer(JobOffer offer) {
    if (!options.sharingEnabled()) {
      return JobAnswer.decline("sharing is off");
    }
    Job existing = jobs.get(offer.jobId());
    if (existing == null && jobs.size() >= options.maxConcurrentJobs()) {
      return JobAnswer.decline(
          "busy: " + jobs.size() + " of " + options.maxConcurrentJobs() + " jobs");
    }
    Job job = existing != null ? existing : new Job(offer);
    jobs.put(offer.jobId(), job);
    if (job.fetches.isEmpty()) {
      job.armIdleTimer();
    }
    return JobAnswer.accept(options.maxRateBytesPerSec());
  }

  /** The live job {@code jobId}, or null. */
  Job find(String jobId) {
    return jobs.get(jobId);
  }

  /** Drops a job and aborts its fetches; nothing happens for an unknown job. */
  void release(String jobId) {
    Job job = jobs.remove(jobId);
    if (job != null) {
      job.cancelIdleTimer();
      for (RangeRelay relay : Set.copyOf(job.fetches)) {
        relay.abort("the job was released");
      }
    }
  }

  /** Drops every job, aborting their fetches. */
  void clear() {
    for (String jobId : Set.copyOf(jobs.keySet())) {
      release(jobId);
    }
  }
}
