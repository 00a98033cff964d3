package io.bamqp.peer;

import io.vertx.core.http.HttpClientOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a home reaches one neighbor's peer listener, and how patiently. Start from {@link
 * #of(String, int)}.
 *
 * <p>{@code clientOptions} is the Vert.x client configuration the link starts from (copied; the
 * timeouts, local address and pool size are set from this record): the place where mutual TLS
 * between peers is added.
 *
 * @param host the helper's peer listener address
 * @param port the helper's peer listener port
 * @param connectTimeout longest wait for the helper to accept a connection; default {@link
 *     #DEFAULT_CONNECT_TIMEOUT}
 * @param idleTimeout longest silence from the helper, before its answer or inside a range body;
 *     default {@link #DEFAULT_IDLE_TIMEOUT}
 * @param localAddress source address of connections to the helper; {@code null}: the kernel's
 *     choice
 * @param clientOptions base options of the client
 */
public record HelperLinkOptions(
    String host,
    int port,
    Duration connectTimeout,
    Duration idleTimeout,
    String localAddress,
    HttpClientOptions clientOptions) {

  /** Default connect timeout: 5 s; a neighbor is a few hops away. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Default idle timeout: 30 s, longer than a helper's default origin timeout (20 s), so a stalled
   * origin is reported by the helper (a reset) before the home gives up on its own.
   */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

  /** Connections a link keeps to its helper at most (4): one per range fetched in parallel. */
  public static final int MAX_CONNECTIONS = 4;

  public HelperLinkOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(clientOptions, "clientOptions");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (connectTimeout.toMillis() < 1 || idleTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("timeouts must be at least 1 ms");
    }
  }

  /** A link to {@code host:port} with the default timeouts. */
  public static HelperLinkOptions of(String host, int port) {
    return new HelperLinkOptions(
        host, port, DEFAULT_CONNECT_TIMEOUT, DEFAULT_IDLE_TIMEOUT, null, new HttpClientOptions());
  }

  public HelperLinkOptions withTimeouts(Duration connectTimeout, Duration idleTimeout) {
    return new HelperLinkOptions(
        host, port, connectTimeout, idleTimeout, localAddress, clientOptions);
  }

  public HelperLinkOptions withLocalAddress(String localAddress) {
    return new HelperLinkOptions(
        host, port, connectTimeout, idleTimeout, localAddress, clientOptions);
  }

  public HelperLinkOptions withClientOptions(HttpClientOptions clientOptions) {
    return new HelperLinkOptions(
        host, port, connectTimeout, idleTimeout, localAddress, clientOptions);
  }
}
