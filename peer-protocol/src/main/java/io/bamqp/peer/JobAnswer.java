package io.bamqp.peer;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A helper's answer to a {@link JobOffer}: accepted with the rate it commits to, or declined with a
 * reason a person can read.
 *
 * <p>JSON: {@code {"accepted":true,"rateBytesPerSec":1250000,"reason":null}} or {@code
 * {"accepted":false,"rateBytesPerSec":0,"reason":"busy: 2 of 2 jobs"}}.
 *
 * @param accepted whether the helper took the job (and holds a slot for it)
 * @param rateBytesPerSec the rate the helper commits to, {@code > 0} when accepted, else 0
 * @param reason why the offer was declined; {@code null} when accepted
 */
public record JobAnswer(
    @JsonProperty(required = true) boolean accepted,
    @JsonProperty(required = true) long rateBytesPerSec,
    String reason) {

  public JobAnswer {
    if (accepted && rateBytesPerSec <= 0) {
      throw new IllegalArgumentException("an accepted job needs a positive rate");
    }
    if (!accepted && (rateBytesPerSec != 0 || reason == null || reason.isBlank())) {
      throw new IllegalArgumentException("a declined job has rate 0 and a reason");
    }
  }

  /** An acceptance at {@code rateBytesPerSec}. */
  public static JobAnswer accept(long rateBytesPerSec) {
    return new JobAnswer(true, rateBytesPerSec, null);
  }

  /** A refusal, saying why. */
  public static JobAnswer decline(String reason) {
    return new JobAnswer(false, 0, reason);
  }
}
