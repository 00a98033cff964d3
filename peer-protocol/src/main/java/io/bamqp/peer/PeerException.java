package io.bamqp.peer;

import java.util.Objects;

/**
 * A peer request that failed for a reason the protocol names: the helper answered a {@link
 * PeerError}, or (home side) its answer broke the protocol. Transport failures (a refused
 * connection, a reset) are not wrapped: they arrive as Vert.x reports them.
 */
public final class PeerException extends Exception {
  private static final long serialVersionUID = 1L;

  private final PeerErrorCode code;
  private final String detail;

  public PeerException(PeerErrorCode code, String detail) {
    super(code + ": " + detail, null, false, false);
    this.code = Objects.requireNonNull(code, "code");
    this.detail = Objects.requireNonNull(detail, "detail");
  }

  /** Why the request failed. */
  public PeerErrorCode code() {
    return code;
  }

  /** A human-readable explanation, never {@code null}. */
  public String detail() {
    return detail;
  }

  /**
   * The message a helper sends for this failure: the code's {@linkplain PeerErrorCode#fixedDetail()
   * fixed detail} where it has one, else the detail.
   */
  public PeerError toError() {
    return new PeerError(code.name(), code.fixedDetail() == null ? detail : code.fixedDetail());
  }
}
