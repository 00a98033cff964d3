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

  /**
   * The header carrying a home's request signature on every request when peers use identities:
   * {@code t=<unix ms>; n=<nonce, base64url>; aud=<helper ID>; sig=<signature, base64url>}.
   */
  public static final String SIGNATURE_HEADER = "Bamqp-Signature";

  /**
   * The header a home puts on a job offer to name the optional features it reads, comma-separated;
   * a helper that does not know the header ignores it, and one that knows answers in kind. Added
   * within version 1: it changes no message an older node sends or reads.
   */
  public static final String FEATURES_HEADER = "Bamqp-Features";

  /**
   * The feature {@code queue}: the home reads {@link JobAnswer}'s queue fields ({@code slots},
   * {@code queuePosition}, {@code retryAfterMillis}).
   */
  public static final String FEATURE_QUEUE = "queue";

  /** The liveness probe: {@code GET /bamqp/v1/ping}. */
  public static final String PING_PATH = BASE_PATH + "/ping";

  /** The content type of a signed range body: a sequence of chunk frames. */
  public static final String CHUNKS = "application/vnd.bamqp.chunks";

  /**
   * Bytes of content per chunk of a signed range (256 KiB), the last one shorter: what home holds
   * at most per range before it can verify and release it.
   */
  public static final int CHUNK_BYTES = 256 * 1024;

  /** Bytes of a chunk frame's header: the chunk's length, 4 bytes big-endian. */
  public static final int FRAME_HEADER_BYTES = 4;

  /**
   * Bytes of a chunk frame's trailer: the chunk's SHA-256 (32 bytes), then the helper's Ed25519
   * signature (64 bytes) of its {@code ChunkSignature} fields.
   */
  public static final int FRAME_TRAILER_BYTES = 32 + 64;

  /** The content type of every message. */
  public static final String JSON = "application/json";

  /**
   * The largest message body either side reads (16 KiB): a {@link RangeFetch} carries at most a
   * {@link RangeFetch#MAX_URL_LENGTH} URL, so anything beyond is refused unread.
   */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024;

  /**
   * The largest representation a job or range may name (1 PiB, {@code 2^50} bytes): far above any
   * real download, far enough below {@code Long.MAX_VALUE} that every length, offset and framed
   * length computed from it fits a {@code long}.
   */
  public static final long MAX_REPRESENTATION_BYTES = 1L << 50;

  private PeerProtocol() {}

  /** The path of one job: {@code /bamqp/v1/jobs/{jobId}}. */
  public static String jobPath(String jobId) {
    return JOBS_PATH + "/" + jobId;
  }

  /** Chunks in a signed range of bytes {@code first..last}. */
  public static long chunkCount(long first, long last) {
    return Math.subtractExact(last, first) / CHUNK_BYTES + 1;
  }

  /** Bytes of the signed (framed) body of range {@code first..last}. */
  public static long framedLength(long first, long last) {
    long content = Math.addExact(Math.subtractExact(last, first), 1);
    return Math.addExact(
        content,
        Math.multiplyExact(chunkCount(first, last), FRAME_HEADER_BYTES + FRAME_TRAILER_BYTES));
  }

  /** Where a home asks for ranges of a job: {@code /bamqp/v1/jobs/{jobId}/ranges}. */
  public static String rangesPath(String jobId) {
    return jobPath(jobId) + "/ranges";
  }
}
