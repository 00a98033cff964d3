package io.bamqp.peer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A helper's answer to a {@link JobOffer}: accepted with the rate it commits to, or declined with a
 * reason a person can read.
 *
 * <p>JSON: {@code {"accepted":true,"rateBytesPerSec":1250000,"reason":null}} or {@code
 * {"accepted":false,"rateBytesPerSec":0,"reason":"busy: 2 of 2 jobs"}}.
 *
 * <p><b>Queue fields</b> (since the {@link PeerProtocol#FEATURE_QUEUE queue} feature; a helper
 * sends them only to a home whose offer carried {@code Bamqp-Features: queue}, so a home that reads
 * strictly and knows nothing of them never sees them, and a home reading an older helper's answer
 * finds them absent): {@code slots}, the jobs this home may hold at once now (its max-min share of
 * the helper's slots); on a busy decline, {@code queuePosition} (1 = next) and {@code
 * retryAfterMillis}, when to offer again for a slot held for this home until a little after that.
 *
 * @param accepted whether the helper took the job (and holds a slot for it)
 * @param rateBytesPerSec the rate the helper commits to, {@code > 0} when accepted, else 0
 * @param reason why the offer was declined; {@code null} when accepted
 * @param slots the home's share of job slots now, {@code >= 0}; absent from older helpers
 * @param queuePosition the home's place in the helper's queue, {@code >= 1}, on a busy decline only
 * @param retryAfterMillis when to offer again, {@code >= 0}, on a busy decline only
 */
public record JobAnswer(
    @JsonProperty(required = true) boolean accepted,
    @JsonProperty(required = true) long rateBytesPerSec,
    String reason,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer slots,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer queuePosition,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long retryAfterMillis) {

  public JobAnswer {
    if (accepted && rateBytesPerSec <= 0) {
      throw new IllegalArgumentException("an accepted job needs a positive rate");
    }
    if (!accepted && (rateBytesPerSec != 0 || reason == null || reason.isBlank())) {
      throw new IllegalArgumentException("a declined job has rate 0 and a reason");
    }
    if (slots != null && slots < 0) {
      throw new IllegalArgumentException("slots must not be negative: " + slots);
    }
    if (accepted && (queuePosition != null || retryAfterMillis != null)) {
      throw new IllegalArgumentException("an accepted job has no queue position");
    }
    if (queuePosition != null && queuePosition < 1) {
      throw new IllegalArgumentException("queuePosition must be >= 1: " + queuePosition);
    }
    if (retryAfterMillis != null && retryAfterMillis < 0) {
      throw new IllegalArgumentException("retryAfterMillis must not be negative");
    }
  }

  /** An answer without the queue fields, as every version of the protocol reads it. */
  public JobAnswer(boolean accepted, long rateBytesPerSec, String reason) {
    this(accepted, rateBytesPerSec, reason, null, null, null);
  }

  /** An acceptance at {@code rateBytesPerSec}. */
  public static JobAnswer accept(long rateBytesPerSec) {
    return new JobAnswer(true, rateBytesPerSec, null);
  }

  /** A refusal, saying why. */
  public static JobAnswer decline(String reason) {
    return new JobAnswer(false, 0, reason);
  }

  /** This answer telling the home its share of slots. */
  public JobAnswer withSlots(int share) {
    return new JobAnswer(accepted, rateBytesPerSec, reason, share, queuePosition, retryAfterMillis);
  }

  /** This busy decline with the home's place in the queue and when to offer again. */
  public JobAnswer queued(int position, long retryAfter) {
    return new JobAnswer(accepted, rateBytesPerSec, reason, slots, position, retryAfter);
  }

  /** This answer as an older helper sends it: without the queue fields. */
  public JobAnswer withoutQueueFields() {
    return new JobAnswer(accepted, rateBytesPerSec, reason);
  }
}
