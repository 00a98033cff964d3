package io.bamqp.peer;

import java.util.Optional;

/**
 * Why a peer request was refused, with the HTTP status the helper answers it with. The code's name
 * is what travels in {@link PeerError#code()}; the status lets plain HTTP tooling tell client
 * mistakes (4xx) from the origin's (502/504).
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
  /** The URL breaks the helper's destination policy (SSRF guard); the detail names the rule. */
  DESTINATION_REFUSED(403),
  /** The origin could not be reached, or closed the connection before answering. */
  ORIGIN_UNREACHABLE(502),
  /** The origin did not connect or answer within the helper's origin timeout. */
  ORIGIN_TIMEOUT(504),
  /** The origin answered a status other than 206, 200 or 3xx; the detail carries it. */
  ORIGIN_STATUS(502),
  /** The origin answered a redirect; the detail carries its {@code Location}. Never followed. */
  REDIRECT(502),
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
  INTERNAL(500),
  /**
   * Home side only, never sent: the helper's answer broke the protocol (an unreadable message, a
   * wrong {@code Content-Length}, a body that ended early, an unknown error code).
   */
  BAD_ANSWER(502);

  private final int httpStatus;

  PeerErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  /** The HTTP status a helper answers this code with. */
  public int httpStatus() {
    return httpStatus;
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
