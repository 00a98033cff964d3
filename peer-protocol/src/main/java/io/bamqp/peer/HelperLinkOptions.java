package io.bamqp.peer;

import io.bamqp.security.Identity;
import io.bamqp.security.PeerId;
import io.vertx.core.http.HttpClientOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a home reaches one neighbor's peer listener, as whom, and how patiently. Immutable; built
 * by {@link #builder(String, int, Identity, PeerId)}, which takes what has no default, while every
 * other setting starts at its {@code DEFAULT_...} constant below.
 *
 * <p>The link always authenticates: mutual TLS 1.3 where the home presents its identity and the
 * handshake fails unless the helper's key names the expected helper (this pin replaces host-name
 * verification), signed requests, verified chunks.
 *
 * <pre>{@code
 * HelperLinkOptions options =
 *     HelperLinkOptions.builder("192.168.1.20", 7432, me, helperId)
 *         .connectTimeout(Duration.ofSeconds(2))
 *         .build();
 * }</pre>
 */
public final class HelperLinkOptions {

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

  /**
   * Connections a link keeps to its helper for range bodies at most (8): one per range fetched in
   * parallel, the {@link HelperOptions#MAX_FETCHES_PER_JOB} fetches of each job, with room for a
   * slot that moves between downloads while the old holder's fetches close; more ranges wait for a
   * connection. Measured on kernel lines (BENCHMARKS.md): at 4, eight downloads sharing two helpers
   * of two slots reached 0.81 of the lines (moves waited for connections), at 8 0.91; at 16 the
   * home's CPU per byte doubled with helpers serving 16 jobs, for no goodput.
   */
  public static final int MAX_CONNECTIONS = 8;

  /**
   * Connections a link keeps for offers, releases and pings (2), apart from the range bodies: a
   * job's release or the next download's offer never waits behind a range still streaming.
   */
  public static final int CONTROL_CONNECTIONS = 2;

  private final String host;
  private final int port;
  private final Identity identity;
  private final PeerId expectedHelper;
  private final Duration connectTimeout;
  private final Duration idleTimeout;
  private final Duration chunkTimeout;
  private final String localAddress;
  private final HttpClientOptions clientOptions;

  private HelperLinkOptions(Builder b) {
    if (b.port < 1 || b.port > 65535) {
      throw new IllegalArgumentException("port out of range: " + b.port);
    }
    if (b.connectTimeout.toMillis() < 1
        || b.idleTimeout.toMillis() < 1
        || b.chunkTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("timeouts must be at least 1 ms");
    }
    this.host = b.host;
    this.port = b.port;
    this.identity = b.identity;
    this.expectedHelper = b.expectedHelper;
    this.connectTimeout = b.connectTimeout;
    this.idleTimeout = b.idleTimeout;
    this.chunkTimeout = b.chunkTimeout;
    this.localAddress = b.localAddress;
    this.clientOptions = b.clientOptions;
  }

  /**
   * A builder of a link to the peer listener at {@code host:port}, speaking as {@code home} to the
   * helper whose ID is {@code expectedHelper}.
   */
  public static Builder builder(String host, int port, Identity home, PeerId expectedHelper) {
    return new Builder(host, port, home, expectedHelper);
  }

  /** The helper's peer listener address. */
  public String host() {
    return host;
  }

  /** The helper's peer listener port. */
  public int port() {
    return port;
  }

  /** The home's identity, presented in the TLS handshake and signing every request. */
  public Identity identity() {
    return identity;
  }

  /** The helper's ID, pinned in the TLS handshake and checked in its ping answer. */
  public PeerId expectedHelper() {
    return expectedHelper;
  }

  /** The longest wait for the helper to accept a connection. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The longest silence from the helper, before its answer or inside a range body. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** The longest time one chunk of a range may take to arrive whole while home reads. */
  public Duration chunkTimeout() {
    return chunkTimeout;
  }

  /** The source address of connections to the helper; {@code null}: the kernel's choice. */
  public String localAddress() {
    return localAddress;
  }

  /** The base options of the client (copied). */
  public HttpClientOptions clientOptions() {
    return clientOptions;
  }

  /** Builds {@link HelperLinkOptions}; each setting starts at its documented default. */
  public static final class Builder {
    private final String host;
    private final int port;
    private final Identity identity;
    private final PeerId expectedHelper;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration chunkTimeout = DEFAULT_CHUNK_TIMEOUT;
    private String localAddress;
    private HttpClientOptions clientOptions = new HttpClientOptions();

    private Builder(String host, int port, Identity identity, PeerId expectedHelper) {
      this.host = Objects.requireNonNull(host, "host");
      this.port = port;
      this.identity = Objects.requireNonNull(identity, "home");
      this.expectedHelper = Objects.requireNonNull(expectedHelper, "expectedHelper");
    }

    /**
     * The longest wait for the helper to accept a connection; default {@link
     * HelperLinkOptions#DEFAULT_CONNECT_TIMEOUT}.
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
      return this;
    }

    /**
     * The longest silence from the helper, before its answer or inside a range body; default {@link
     * HelperLinkOptions#DEFAULT_IDLE_TIMEOUT}.
     */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
      return this;
    }

    /**
     * The longest time one chunk of a signed range may take to arrive whole while home reads;
     * longer is {@link PeerErrorCode#BAD_CHUNK} (a helper trickling bytes); default {@link
     * HelperLinkOptions#DEFAULT_CHUNK_TIMEOUT}.
     */
    public Builder chunkTimeout(Duration chunkTimeout) {
      this.chunkTimeout = Objects.requireNonNull(chunkTimeout, "chunkTimeout");
      return this;
    }

    /** The source address of connections to the helper; default {@code null}: the kernel's. */
    public Builder localAddress(String localAddress) {
      this.localAddress = localAddress;
      return this;
    }

    /**
     * The Vert.x client options the link starts from (copied; the timeouts, local address, pool
     * size and TLS are set from these options); default: Vert.x's own.
     */
    public Builder clientOptions(HttpClientOptions clientOptions) {
      this.clientOptions = Objects.requireNonNull(clientOptions, "clientOptions");
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException when the port or a timeout is out of range
     */
    public HelperLinkOptions build() {
      return new HelperLinkOptions(this);
    }
  }
}
