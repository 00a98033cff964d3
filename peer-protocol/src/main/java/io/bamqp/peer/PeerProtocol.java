package io.bamqp.peer;

/**
 * The protocol's fixed names: its version, where it lives on the peer listener and the header that
 * carries the version on every request and response.
 */
public final class PeerProtocol {
  /** The protocol version this code speaks; a peer sending another one gets {@code 400}. */
  public static final int VERSION = 1;

  /** The header carrying {@link #VERSION} on every request and every response. */
  public static final String VERSION_HEADER = "Bamqp-Protocol";

  /** Every endpoint lives below this path: {@code /bamqp/v1}. */
  public static final String BASE_PATH = "/bamqp/v" + VERSION;

  /** Where a home offers jobs: {@code POST /bamqp/v1/jobs}. */
  public static final String JOBS_PATH = BASE_PATH + "/jobs";

  /** The content type of every message. */
  public static final String JSON = "application/json";

  /**
   * The largest message body either side reads (16 KiB): a {@link RangeFetch} carries at most a
   * {@link RangeFetch#MAX_URL_LENGTH} URL, so anything beyond is refused unread.
   */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024;

  private PeerProtocol() {}

  /** The path of one job: {@code /bamqp/v1/jobs/{jobId}}. */
  public static String jobPath(String jobId) {
    return JOBS_PATH + "/" + jobId;
  }

  /** Where a home asks for ranges of a job: {@code /bamqp/v1/jobs/{jobId}/ranges}. */
  public static String rangesPath(String jobId) {
    return jobPath(jobId) + "/ranges";
  }
}
