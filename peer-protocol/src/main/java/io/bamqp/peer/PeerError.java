package io.bamqp.peer;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * The body of every error answer. The code is a {@link PeerErrorCode} name, kept as a string on the
 * wire so that a code from a newer peer can still be read.
 *
 * <p>JSON: {@code {"code":"VALIDATOR_MISMATCH","detail":"origin ETag \"b-v2\" is not the job's
 * \"b-v1\""}}.
 *
 * @param code a {@link PeerErrorCode} name
 * @param detail what went wrong, for logs and people
 */
public record PeerError(
    @JsonProperty(required = true) String code, @JsonProperty(required = true) String detail) {

  public PeerError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(detail, "detail");
  }

  /** This error as an exception; an unknown code becomes {@link PeerErrorCode#BAD_ANSWER}. */
  public PeerException toException() {
    return PeerErrorCode.fromWire(code)
        .map(known -> new PeerException(known, detail))
        .orElseGet(
            () ->
                new PeerException(
                    PeerErrorCode.BAD_ANSWER, "unknown error code " + code + ": " + detail));
  }
}
