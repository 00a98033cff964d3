package io.bamqp.peer;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A home's offer of a download job to a helper: how big and how long, but not <em>what</em>. The
 * URL travels only with a {@link RangeFetch}, after the helper accepted, so a helper that declines
 * never learns it.
 *
 * <p>JSON: {@code {"jobId":"j-7f3a","sizeBytes":268435456,"expectedMillis":20000}}.
 *
 * @param jobId the home's name for the job, unique among its live jobs; {@link #JOB_ID} characters
 * @param sizeBytes size of the whole representation, {@code 1..}{@link
 *     PeerProtocol#MAX_REPRESENTATION_BYTES}
 * @param expectedMillis how long the home expects to need the helper, {@code >= 0} (a hint)
 */
public record JobOffer(
    @JsonProperty(required = true) String jobId,
    @JsonProperty(required = true) long sizeBytes,
    @JsonProperty(required = true) long expectedMillis) {

  /** What a job id may look like: 1 to 64 URL-safe characters, so it can sit in a path. */
  public static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._~-]{1,64}");

  public JobOffer {
    requireJobId(jobId);
    if (sizeBytes <= 0 || sizeBytes > PeerProtocol.MAX_REPRESENTATION_BYTES) {
      throw new IllegalArgumentException(
          "sizeBytes must be 1 to " + PeerProtocol.MAX_REPRESENTATION_BYTES + ", got " + sizeBytes);
    }
    if (expectedMillis < 0) {
      throw new IllegalArgumentException("expectedMillis must not be negative: " + expectedMillis);
    }
  }

  /** Checks that {@code jobId} is a valid job id and answers it. */
  public static String requireJobId(String jobId) {
    Objects.requireNonNull(jobId, "jobId");
    if (!JOB_ID.matcher(jobId).matches()) {
      throw new IllegalArgumentException("jobId must match " + JOB_ID.pattern());
    }
    return jobId;
  }
}
