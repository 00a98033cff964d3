package io.bamqp.security;

/** A URL the {@link DestinationPolicy} will not let this node fetch; the message says why. */
public final class DestinationRefused extends Exception {
  private static final long serialVersionUID = 1L;

  public DestinationRefused(String reason) {
    super(reason, null, false, false);
  }
}
