package io.bamqp.proxy.forward.internal;

/**
 * Why the proxy refuses a destination, as the client sees it: a code and a fixed text, never the
 * addresses a name resolved to or where an origin's redirect pointed. The details go to the node's
 * log ({@link ProxyFailure#detail()}).
 */
enum Refusal {
  /** The target is an address of this router, which only {@code allowDestinations} opens. */
  OWN_ADDRESS(
      403,
      "the destination is this router itself; open it directly, not through the proxy"
          + " (or open the address with security.allowDestinations)"),
  /** A redirect {@code /fetch} followed leads to a private or other special address. */
  SPECIAL_ADDRESS(
      403,
      "a redirect leads to a private or special address"
          + " (open it with security.allowDestinations)"),
  /** A redirect {@code /fetch} followed leads to one of this node's own listening sockets. */
  OWN_SOCKET(508, "a redirect leads back to this router's own listening sockets"),
  /** A redirect from {@code https} to {@code http}. */
  HTTPS_TO_HTTP(403, "a redirect from https to http is not followed");

  private final int status;
  private final String text;

  Refusal(int status, String text) {
    this.status = status;
    this.text = text;
  }

  /** The failure the client gets, with {@code detail} for the node's log only. */
  ProxyFailure failure(String detail) {
    return ProxyFailure.refused(status, name() + ": " + text, detail);
  }
}
