package io.bamqp.peer;

import java.util.Optional;

/**
 * Why a peer request was refused, with the HTTP status the helper answers it with. The code's name
 * is what travels in {@link PeerError#code()}; the status lets plain HTTP tooling tell client
 * mistakes (4xx) from the origin's (502/504).
 *
 * <p>Some codes answer with a fixed detail ({@link #fixedDetail()}): what happened between the
 * helper and an origin (where a name resolved to, where a redirect pointed, why a connection
 * failed) describes the helper's network, which is none of the neighbor's business. The helper
 * keeps the real detail in its own log and audit log.
 */
public enum PeerErrorCode {
  /** The request is malformed: bad JSON, an unknown or missing field, an impossible range. */
  BAD_REQUEST(400),
  /** The request carried another protocol version, in its path or its {@code Bamqp-Protocol}. */
  UNSUPPORTED_VERSION(400),
  /** No endpoint at that path and method. */
  NO_SUCH_ENDPOINT(404),
  /** The message is larger than {@link PeerProtocol#MAX_MESSAGE_BYTES}. */
  MESSAGE_TOO_LARGE(413),
  /** This node's owner has not opted in to sharing. */
  SHARING_DISABLED(403),
  /** The job already has as many range fetches in flight as a job may have. */
  BUSY(503),
  /** No such job: never offered, released, or expired after its idle timeout. */
  NO_SUCH_JOB(404),
  /**
   * The URL breaks the helper's destination policy (SSRF guard: a special or own address, a port,
   * this node's own listening sockets); the detail is fixed, the rule goes to the helper's log.
   */
  DESTINATION_REFUSED(403, "the helper's destination policy refuses this URL"),
  /** The origin could not be reached, or closed the connection before answering. */
  ORIGIN_UNREACHABLE(502, "the origin could not be reached"),
  /** The origin did not connect or answer within the helper's origin timeout. */
  ORIGIN_TIMEOUT(504, "the origin did not answer in time"),
  /** The origin answered a status other than 206, 200 or 3xx; the detail carries it. */
  ORIGIN_STATUS(502),
  /**
   * The origin answered a redirect. Never followed; its {@code Location} stays in the helper's
   * audit log, the detail is fixed.
   */
  REDIRECT(502, "the origin answered a redirect, which a helper never follows"),
  /** The origin answered 200: it ignored {@code Range}, or {@code If-Range} did not hold. */
  RANGE_IGNORED(502),
  /** The origin's {@code ETag} (or {@code Last-Modified}) differs from the job's: it changed. */
  VALIDATOR_MISMATCH(412),
  /** The origin's {@code Content-Range} names another start, end or total than asked. */
  BAD_CONTENT_RANGE(502),
  /** The origin applied a {@code Content-Encoding} other than {@code identity}. */
  ENCODED(502),
  /** The origin answered {@code multipart/byteranges}. */
  MULTIPART(502),
  /** The helper failed in an unexpected way. */
  INTERNAL(500, "unexpected failure"),
  /**
   * The request's {@code Bamqp-Signature} is missing, malformed, or not the TLS-authenticated
   * home's signature of this method, target and body.
   */
  BAD_SIGNATURE(401),
  /** The request is signed for another helper (its audience is not this node's ID). */
  WRONG_AUDIENCE(401),
  /** The request's signed time is further from the helper's clock than the replay window. */
  OUTSIDE_TIME_WINDOW(401),
  /** The request's nonce was already used: a replay. */
  REPLAYED(401),
  /** The caller's ID is no longer in {@code peer.trusted} (the list was reloaded). */
  NOT_TRUSTED(403),
  /**
   * The owner's limits decline this job or range for this peer now (a monthly or per-peer cap, a
   * schedule); the detail says which.
   */
  DECLINED(403),
  /**
   * Home side only, never sent: the helper's answer broke the protocol (an unreadable message, a
   * wrong {@code Content-Length}, a body that ended early, an unknown error code).
   */
  BAD_ANSWER(502),
  /**
   * Home side only, never sent: a chunk of a signed range failed verification (signature, hash,
   * length, offsets or validator), bytes came after the last chunk, a chunk was cut short, or a
   * chunk took longer than the link's chunk timeout. Unlike a network failure this proves the
   * helper misbehaves: see {@link #provesMisbehaviour()}.
   */
  BAD_CHUNK(502);

  private final int httpStatus;
  private final String fixedDetail;

  PeerErrorCode(int httpStatus) {
    this(httpStatus, null);
  }

  PeerErrorCode(int httpStatus, String fixedDetail) {
    this.httpStatus = httpStatus;
    this.fixedDetail = fixedDetail;
  }

  /**
   * The detail a helper sends with this code instead of the real one, or {@code null} when the real
   * one travels.
   */
  public String fixedDetail() {
    return fixedDetail;
  }

  /** The HTTP status a helper answers this code with. */
  public int httpStatus() {
    return httpStatus;
  }

  /**
   * Whether a failure with this code proves the helper misbehaves (rather than its network or the
   * origin failing), so home should quarantine it: {@link #BAD_CHUNK}.
   */
  public boolean provesMisbehaviour() {
    return this == BAD_CHUNK;
  }

  /** The code named {@code wire}, or empty when this version does not know it. */
  public static Optional<PeerErrorCode> fromWire(String wire) {
    for (PeerErrorCode code : values()) {
      if (code.name().equals(wire)) {
        return Optional.of(code);
      }
    }
    return Optional.empty();
  }
}
