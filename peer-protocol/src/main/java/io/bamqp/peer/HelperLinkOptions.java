package io.bamqp.peer;

import io.bamqp.security.Identity;
import io.bamqp.security.PeerId;
import io.vertx.core.http.HttpClientOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a home reaches one neighbor's peer listener, as whom, and how patiently. Start from {@link
 * #secure(String, int, Identity, PeerId)}.
 *
 * <p>{@code clientOptions} is the Vert.x client configuration the link starts from (copied; the
 * timeouts, local address, pool size and TLS are set from this record).
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
 * @param identity the home's identity, presented in the TLS handshake and signing every request
 * @param expectedHelper the helper's ID: the TLS handshake fails unless the helper's key names it
 *     (this pin replaces host-name verification)
 * @param chunkTimeout longest time one chunk of a signed range may take to arrive whole while home
 *     reads; longer is {@link PeerErrorCode#BAD_CHUNK} (a helper trickling bytes); default {@link
 *     #DEFAULT_CHUNK_TIMEOUT}
 */
public record HelperLinkOptions(
    String host,
    int port,
    Duration connectTimeout,
    Duration idleTimeout,
    String localAddress,
    HttpClientOptions clientOptions,
    Identity identity,
    PeerId expectedHelper,
    Duration chunkTimeout) {

  /** Default connect timeout: 5 s; a neighbor is a few hops away. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Default idle timeout: 30 s, longer than a helper's default origin timeout (20 s), so a stalled
   * origin is reported by the helper (a reset) before the home gives up on its own.
   */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Default chunk timeout: 60 s for one {@link PeerProtocol#CHUNK_BYTES} chunk, i.e. a helper must
   * sustain about 35 kbit/s; below that it is trickling, not helping.
   */
  public static final Duration DEFAULT_CHUNK_TIMEOUT = Duration.ofSeconds(60);

  /** Connections a link keeps to its helper at most (4): one per range fetched in parallel. */
  public static final int MAX_CONNECTIONS = 4;

  public HelperLinkOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(clientOptions, "clientOptions");
    Objects.requireNonNull(chunkTimeout, "chunkTimeout");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (connectTimeout.toMillis() < 1
        || idleTimeout.toMillis() < 1
        || chunkTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("timeouts must be at least 1 ms");
    }
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(expectedHelper, "expectedHelper");
  }

  /**
   * A link to {@code host:port} as {@code home}, to the helper whose ID is {@code expectedHelper}:
   * mutual TLS 1.3, signed requests, verified chunks; the default timeouts.
   */
  public static HelperLinkOptions secure(
      String host, int port, Identity home, PeerId expectedHelper) {
    return new HelperLinkOptions(
        host,
        port,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT,
        null,
        new HttpClientOptions(),
        home,
        expectedHelper,
        DEFAULT_CHUNK_TIMEOUT);
  }

  public HelperLinkOptions withTimeouts(Duration connectTimeout, Duration idleTimeout) {
    return new HelperLinkOptions(
        host,
        port,
        connectTimeout,
        idleTimeout,
        localAddress,
        clientOptions,
        identity,
        expectedHelper,
        chunkTimeout);
  }

  public HelperLinkOptions withChunkTimeout(Duration chunkTimeout) {
    return new HelperLinkOptions(
        host,
        port,
        connectTimeout,
        idleTimeout,
        localAddress,
        clientOptions,
        identity,
        expectedHelper,
        chunkTimeout);
  }

  public HelperLinkOptions withLocalAddress(String localAddress) {
    return new HelperLinkOptions(
        host,
        port,
        connectTimeout,
        idleTimeout,
        localAddress,
        clientOptions,
        identity,
        expectedHelper,
        chunkTimeout);
  }

  public HelperLinkOptions withClientOptions(HttpClientOptions clientOptions) {
    return new HelperLinkOptions(
        host,
        port,
        connectTimeout,
        idleTimeout,
        localAddress,
        clientOptions,
        identity,
        expectedHelper,
        chunkTimeout);
  }

  /** Authenticates as {@code home} to the helper whose ID is {@code expectedHelper}. */
  public HelperLinkOptions withIdentity(Identity home, PeerId expectedHelper) {
    return new HelperLinkOptions(
        host,
        port,
        connectTimeout,
        idleTimeout,
        localAddress,
        clientOptions,
        Objects.requireNonNull(home, "home"),
        Objects.requireNonNull(expectedHelper, "expectedHelper"),
        chunkTimeout);
  }
}
