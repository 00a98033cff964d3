package io.bamqp.proxy.forward.internal;

/**
 * A request the proxy answers itself, with a status and a one-line reason for the body. Every
 * refusal and every upstream failure becomes one of these in {@link Failures}, the one place that
 * maps failures to HTTP status.
 */
final class ProxyFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final boolean closeConnection;
  private final String detail;

  ProxyFailure(int status, String reason, boolean closeConnection) {
    this(status, reason, closeConnection, null);
  }

  private ProxyFailure(int status, String reason, boolean closeConnection, String detail) {
    super(reason, null, false, false);
    this.status = status;
    this.closeConnection = closeConnection;
    this.detail = detail;
  }

  static ProxyFailure of(int status, String reason) {
    return new ProxyFailure(status, reason, false);
  }

  /** A refusal after which the client connection cannot be trusted to stay in sync. */
  static ProxyFailure closing(int status, String reason) {
    return new ProxyFailure(status, reason, true);
  }

  /**
   * A refused destination ({@link Refusal}): the client gets {@code reason}, a code and a fixed
   * text; {@code detail} (addresses, a redirect's target) goes to the node's log only.
   */
  static ProxyFailure refused(int status, String reason, String detail) {
    return new ProxyFailure(status, reason, false, detail);
  }

  /** The standard reason phrase, including the ones Netty lacks (508). */
  static String reasonPhrase(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 408 -> "Request Timeout";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      case 508 -> "Loop Detected";
      default -> io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase();
    };
  }

  /**
   * This failure as a whole HTTP/1.1 response with the same head and body {@link ProxyFront}'s
   * answers carry, and {@code Connection: close}: for a connection no request object exists for.
   */
  String asRawResponse() {
    String body = getMessage() + "\n";
    return "HTTP/1.1 "
        + status
        + " "
        + reasonPhrase(status)
        + "\r\nContent-Type: text/plain; charset=utf-8\r\nCache-Control: no-store\r\n"
        + "X-Bamqp-Error: "
        + getMessage().replaceAll("[^\\x20-\\x7e]", "?")
        + "\r\nConnection: close\r\nContent-Length: "
        + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  int status() {
    return status;
  }

  boolean closeConnection() {
    return closeConnection;
  }

  /** What the node logs about a refused destination; {@code null} for other failures. */
  String detail() {
    return detail;
  }
}
