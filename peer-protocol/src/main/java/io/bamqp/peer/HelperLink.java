package io.bamqp.peer;

import io.bamqp.peer.internal.HelperLinkImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The home side of the protocol towards one neighbor: offers jobs to its peer listener, asks it for
 * ranges and releases jobs. One link per neighbor; its connections are pooled, range bodies apart
 * from the short exchanges ({@link HelperLinkOptions#MAX_CONNECTIONS}, {@link
 * HelperLinkOptions#CONTROL_CONNECTIONS}).
 *
 * <p>The link speaks mutual TLS 1.3 as {@link HelperLinkOptions#identity()} and accepts only the
 * helper whose key names the expected ID; it signs every request; and every range arrives as signed
 * chunks that {@link RangeStream} verifies before releasing a byte of them.
 *
 * <p>Every future fails with a {@link PeerException} when the helper answered an error (its {@link
 * PeerErrorCode} and detail), or when its answer broke the protocol ({@link
 * PeerErrorCode#BAD_ANSWER}, or {@link PeerErrorCode#UNSUPPORTED_VERSION} when it speaks another
 * version); with the transport's own exception when the helper could not be reached. A job id that
 * does not match {@link JobOffer#JOB_ID} is a programming error: {@link IllegalArgumentException},
 * thrown at once.
 */
public interface HelperLink {

  /** A link to the neighbor {@code options} names. */
  static HelperLink create(Vertx vertx, HelperLinkOptions options) {
    return new HelperLinkImpl(vertx, options);
  }

  /** Offers a job; the answer says whether the helper took it and at what rate. */
  Future<JobAnswer> offer(JobOffer offer);

  /**
   * Asks for one range of an accepted job. The future completes once the helper has checked the
   * origin's answer and the range's bytes start flowing; see {@link RangeStream}.
   */
  Future<RangeStream> fetch(String jobId, RangeFetch fetch);

  /**
   * Asks the helper whether it is there and sharing; the result carries its answer and the measured
   * round trip. With identities the TLS handshake already proved it is the expected helper.
   */
  Future<PingResult> ping();

  /** Tells the helper the job is over, freeing its slot. Releasing an unknown job succeeds. */
  Future<Void> release(String jobId);

  /** Closes the link's connections; streams still flowing fail. */
  Future<Void> close();
}
