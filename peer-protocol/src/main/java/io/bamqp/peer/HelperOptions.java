package io.bamqp.peer;

import io.bamqp.security.DestinationPolicy;
import io.bamqp.security.Identity;
import io.bamqp.security.TrustedPeers;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link HelperServer} listens, whom it serves and what its owner agreed to share. Immutable;
 * built by {@link #builder(DestinationPolicy, Identity, TrustedPeers)}, which takes what has no
 * default, while every other setting starts at its {@code DEFAULT_...} constant below.
 *
 * <p>Peers always authenticate: mutual TLS 1.3 where the helper presents its identity and a home is
 * accepted only if its ID is in the trusted set (checked again on every request, so a reload takes
 * effect at once), signed requests, signed chunks. The sharing settings and the trusted set can
 * change while the helper runs: {@link HelperServer#updateSharing}, {@link
 * HelperServer#updateTrusted}.
 *
 * <pre>{@code
 * HelperOptions options =
 *     HelperOptions.builder(policy, identity, trusted)
 *         .listen("0.0.0.0", 7432)
 *         .sharing(true, 10, 2)
 *         .audit(stateDir.resolve("audit"), 90)
 *         .build();
 * }</pre>
 */
public final class HelperOptions {

  /** The peer listener's default address: every interface. */
  public static final String DEFAULT_HOST = "0.0.0.0";

  /** The peer listener's default port ({@code peer.listen}). */
  public static final int DEFAULT_PORT = 7432;

  /** Sharing is off until the owner opts in ({@code sharing.enabled}). */
  public static final boolean DEFAULT_SHARING_ENABLED = false;

  /** Default cap on fetching for others: 10 Mbit/s ({@code sharing.maxRateMbps}). */
  public static final double DEFAULT_MAX_RATE_MBPS = 10;

  /** Default number of jobs held at once: 2 ({@code sharing.maxConcurrentJobs}). */
  public static final int DEFAULT_MAX_CONCURRENT_JOBS = 2;

  /** Default origin timeout: 20 s, shorter than a home's {@link HelperLinkOptions} idle timeout. */
  public static final Duration DEFAULT_ORIGIN_TIMEOUT = Duration.ofSeconds(20);

  /** Default job idle timeout: 60 s without a range fetch and a vanished home's slot is free. */
  public static final Duration DEFAULT_JOB_IDLE_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Default idle timeout of a connection from a home (120 s): a home that stops reading a range
   * this long loses it, so it cannot hold an origin connection open for ever.
   */
  public static final Duration DEFAULT_HOME_IDLE_TIMEOUT = Duration.ofSeconds(120);

  /**
   * Range fetches one job may have in flight (2): one, plus the replacement of a fetch the home
   * cancelled a moment ago whose connection the helper has not yet seen close.
   */
  public static final int MAX_FETCHES_PER_JOB = 2;

  private final String host;
  private final int port;
  private final boolean sharingEnabled;
  private final double maxRateMbps;
  private final int maxConcurrentJobs;
  private final String bindAddress;
  private final DestinationPolicy destinationPolicy;
  private final Duration originTimeout;
  private final Duration jobIdleTimeout;
  private final HttpServerOptions serverOptions;
  private final HttpClientOptions originClientOptions;
  private final Identity identity;
  private final TrustedPeers trustedPeers;
  private final Path auditDir;
  private final int auditRetentionDays;
  private final long auditMaxBytes;
  private final SharingGate sharingGate;
  private final BytesGivenListener bytesGiven;

  private HelperOptions(Builder b) {
    if (b.port < 0 || b.port > 65535) {
      throw new IllegalArgumentException("port out of range: " + b.port);
    }
    if (!(b.maxRateMbps > 0) || Double.isInfinite(b.maxRateMbps)) {
      throw new IllegalArgumentException("maxRateMbps must be positive: " + b.maxRateMbps);
    }
    if (b.maxConcurrentJobs < 1) {
      throw new IllegalArgumentException("maxConcurrentJobs must be at least 1");
    }
    if (b.originTimeout.toMillis() < 1 || b.jobIdleTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("timeouts must be at least 1 ms");
    }
    if (b.auditRetentionDays < 1) {
      throw new IllegalArgumentException("auditRetentionDays must be at least 1");
    }
    this.host = b.host;
    this.port = b.port;
    this.sharingEnabled = b.sharingEnabled;
    this.maxRateMbps = b.maxRateMbps;
    this.maxConcurrentJobs = b.maxConcurrentJobs;
    this.bindAddress = b.bindAddress;
    this.destinationPolicy = b.destinationPolicy;
    this.originTimeout = b.originTimeout;
    this.jobIdleTimeout = b.jobIdleTimeout;
    this.serverOptions = b.serverOptions;
    this.originClientOptions = b.originClientOptions;
    this.identity = b.identity;
    this.trustedPeers = b.trustedPeers;
    this.auditDir = b.auditDir;
    this.auditRetentionDays = b.auditRetentionDays;
    this.auditMaxBytes = b.auditMaxBytes;
    this.sharingGate = b.sharingGate;
    this.bytesGiven = b.bytesGiven;
  }

  /**
   * A builder of a helper that presents {@code identity}, serves only the homes in {@code
   * trustedPeers} ({@code peer.trusted}, live) and vets every URL with {@code destinationPolicy}
   * (the SSRF guard) before it connects.
   */
  public static Builder builder(
      DestinationPolicy destinationPolicy, Identity identity, TrustedPeers trustedPeers) {
    return new Builder(destinationPolicy, identity, trustedPeers);
  }

  /** {@code mbps} in bytes per second: {@code mbps * 125 000}, at least 1. */
  public static long bytesPerSecond(double mbps) {
    return Math.max(1, Math.round(mbps * 125_000));
  }

  /** The cap in bytes per second: {@code maxRateMbps * 125 000}. */
  public long maxRateBytesPerSec() {
    return bytesPerSecond(maxRateMbps);
  }

  /** The address the peer listener binds. */
  public String host() {
    return host;
  }

  /** The port of the peer listener; 0 picks a free one. */
  public int port() {
    return port;
  }

  /** Whether the owner opted in. */
  public boolean sharingEnabled() {
    return sharingEnabled;
  }

  /** The cap on what the helper reads from origins for others, all jobs together, in Mbit/s. */
  public double maxRateMbps() {
    return maxRateMbps;
  }

  /** The jobs held at once. */
  public int maxConcurrentJobs() {
    return maxConcurrentJobs;
  }

  /** The source address of origin connections; {@code null} lets the kernel choose. */
  public String bindAddress() {
    return bindAddress;
  }

  /** The SSRF guard every URL passes before the helper connects. */
  public DestinationPolicy destinationPolicy() {
    return destinationPolicy;
  }

  /** The longest wait for an origin to connect, to answer, or to send the next byte of a body. */
  public Duration originTimeout() {
    return originTimeout;
  }

  /** A job without a range fetch for this long is dropped, freeing its slot. */
  public Duration jobIdleTimeout() {
    return jobIdleTimeout;
  }

  /** The base options of the peer listener (copied at start). */
  public HttpServerOptions serverOptions() {
    return serverOptions;
  }

  /** The base options of the client that fetches from origins (copied at start). */
  public HttpClientOptions originClientOptions() {
    return originClientOptions;
  }

  /** This node's identity, presented in the TLS handshake and signing every chunk. */
  public Identity identity() {
    return identity;
  }

  /** The homes this helper works for ({@code peer.trusted}), live. */
  public TrustedPeers trustedPeers() {
    return trustedPeers;
  }

  /** Where the audit log is kept; {@code null}: no audit log. */
  public Path auditDir() {
    return auditDir;
  }

  /** The most the audit log's files hold together, in bytes. */
  public long auditMaxBytes() {
    return auditMaxBytes;
  }

  /** The days of audit log kept. */
  public int auditRetentionDays() {
    return auditRetentionDays;
  }

  /** The owner's admission policy, asked per offer and per range. */
  public SharingGate sharingGate() {
    return sharingGate;
  }

  /** Hears every range byte sent, per home. */
  public BytesGivenListener bytesGiven() {
    return bytesGiven;
  }

  /** Builds {@link HelperOptions}; each setting starts at its documented default. */
  public static final class Builder {
    private final DestinationPolicy destinationPolicy;
    private final Identity identity;
    private final TrustedPeers trustedPeers;
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private boolean sharingEnabled = DEFAULT_SHARING_ENABLED;
    private double maxRateMbps = DEFAULT_MAX_RATE_MBPS;
    private int maxConcurrentJobs = DEFAULT_MAX_CONCURRENT_JOBS;
    private String bindAddress;
    private Duration originTimeout = DEFAULT_ORIGIN_TIMEOUT;
    private Duration jobIdleTimeout = DEFAULT_JOB_IDLE_TIMEOUT;
    private HttpServerOptions serverOptions =
        new HttpServerOptions().setIdleTimeout((int) DEFAULT_HOME_IDLE_TIMEOUT.toSeconds());
    private HttpClientOptions originClientOptions = new HttpClientOptions();
    private Path auditDir;
    private int auditRetentionDays = AuditLog.DEFAULT_RETENTION_DAYS;
    private long auditMaxBytes = AuditLog.DEFAULT_MAX_BYTES;
    private SharingGate sharingGate = SharingGate.OPEN;
    private BytesGivenListener bytesGiven = BytesGivenListener.NONE;

    private Builder(
        DestinationPolicy destinationPolicy, Identity identity, TrustedPeers trustedPeers) {
      this.destinationPolicy = Objects.requireNonNull(destinationPolicy, "destinationPolicy");
      this.identity = Objects.requireNonNull(identity, "identity");
      this.trustedPeers = Objects.requireNonNull(trustedPeers, "trustedPeers");
    }

    /**
     * Where the peer listener binds: default {@value HelperOptions#DEFAULT_HOST}, port {@value
     * HelperOptions#DEFAULT_PORT}; port 0 picks a free one.
     */
    public Builder listen(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      this.port = port;
      return this;
    }

    /**
     * What the owner agreed to share: whether at all (default {@value
     * HelperOptions#DEFAULT_SHARING_ENABLED}), the cap on what the helper reads from origins for
     * others, all jobs together, in Mbit/s ({@code 10^6} bit/s, {@code > 0}; default {@value
     * HelperOptions#DEFAULT_MAX_RATE_MBPS}), and the jobs held at once ({@code >= 1}; default
     * {@value HelperOptions#DEFAULT_MAX_CONCURRENT_JOBS}).
     */
    public Builder sharing(boolean enabled, double maxRateMbps, int maxConcurrentJobs) {
      this.sharingEnabled = enabled;
      this.maxRateMbps = maxRateMbps;
      this.maxConcurrentJobs = maxConcurrentJobs;
      return this;
    }

    /**
     * The source address of origin connections ({@code wan.bindAddress}); default {@code null}: the
     * kernel chooses.
     */
    public Builder bindAddress(String bindAddress) {
      this.bindAddress = bindAddress;
      return this;
    }

    /**
     * The longest wait for an origin to connect, to answer, or to send the next byte of a flowing
     * body; default {@link HelperOptions#DEFAULT_ORIGIN_TIMEOUT}.
     */
    public Builder originTimeout(Duration originTimeout) {
      this.originTimeout = Objects.requireNonNull(originTimeout, "originTimeout");
      return this;
    }

    /**
     * A job without a range fetch for this long is dropped, freeing its slot; default {@link
     * HelperOptions#DEFAULT_JOB_IDLE_TIMEOUT}.
     */
    public Builder jobIdleTimeout(Duration jobIdleTimeout) {
      this.jobIdleTimeout = Objects.requireNonNull(jobIdleTimeout, "jobIdleTimeout");
      return this;
    }

    /**
     * The Vert.x options the peer listener starts from (copied at start; host, port and peer TLS
     * are set from these options); default: an idle timeout of {@link
     * HelperOptions#DEFAULT_HOME_IDLE_TIMEOUT}.
     */
    public Builder serverOptions(HttpServerOptions serverOptions) {
      this.serverOptions = Objects.requireNonNull(serverOptions, "serverOptions");
      return this;
    }

    /**
     * The Vert.x options the origin client starts from (copied at start; connect timeout, local
     * address and pool size are set from these options): the place for a trust store for origins.
     */
    public Builder originClientOptions(HttpClientOptions originClientOptions) {
      this.originClientOptions = Objects.requireNonNull(originClientOptions, "originClientOptions");
      return this;
    }

    /**
     * The most the audit log's files hold together ({@code >= 64 KiB}); default {@value
     * AuditLog#DEFAULT_MAX_BYTES} bytes. See {@link AuditLog}.
     */
    public Builder auditMaxBytes(long auditMaxBytes) {
      if (auditMaxBytes < 64 * 1024) {
        throw new IllegalArgumentException("auditMaxBytes must be at least 64 KiB");
      }
      this.auditMaxBytes = auditMaxBytes;
      return this;
    }

    /**
     * Keeps the audit log in {@code auditDir} ({@code state.dir/audit}), dropping files older than
     * {@code auditRetentionDays} ({@code >= 1}); default: no audit log, and {@value
     * AuditLog#DEFAULT_RETENTION_DAYS} days once there is one. See {@link AuditLog}.
     */
    public Builder audit(Path auditDir, int auditRetentionDays) {
      this.auditDir = Objects.requireNonNull(auditDir, "auditDir");
      this.auditRetentionDays = auditRetentionDays;
      return this;
    }

    /** Asks {@code sharingGate} before every offer and range; default {@link SharingGate#OPEN}. */
    public Builder sharingGate(SharingGate sharingGate) {
      this.sharingGate = Objects.requireNonNull(sharingGate, "sharingGate");
      return this;
    }

    /**
     * Tells {@code bytesGiven} about every range byte sent; default {@link
     * BytesGivenListener#NONE}.
     */
    public Builder bytesGiven(BytesGivenListener bytesGiven) {
      this.bytesGiven = Objects.requireNonNull(bytesGiven, "bytesGiven");
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public HelperOptions build() {
      return new HelperOptions(this);
    }
  }
}
