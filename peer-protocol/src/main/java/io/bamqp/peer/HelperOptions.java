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
 * How a {@link HelperServer} listens, whom it serves and what its owner agreed to share. Start from
 * {@link #secure(DestinationPolicy, Identity, TrustedPeers)} and change what differs with the
 * {@code with...} methods. The sharing settings and the trusted set can change while the helper
 * runs: {@link HelperServer#updateSharing}, {@link HelperServer#updateTrusted}.
 *
 * <p>{@code serverOptions} and {@code originClientOptions} are the Vert.x options the helper starts
 * from (copied at start; host, port, local address and redirects are set from this record): the
 * place where TLS for peers, or a trust store for origins, is added.
 *
 * @param host address the peer listener binds, default {@value #DEFAULT_HOST}
 * @param port port of the peer listener, default {@value #DEFAULT_PORT}; 0 picks a free one
 * @param sharingEnabled whether the owner opted in; default {@value #DEFAULT_SHARING_ENABLED}
 * @param maxRateMbps cap on what the helper reads from origins for others, all jobs together, in
 *     Mbit/s ({@code 10^6} bit/s), {@code > 0}; default {@value #DEFAULT_MAX_RATE_MBPS}
 * @param maxConcurrentJobs jobs held at once, {@code >= 1}; default {@value
 *     #DEFAULT_MAX_CONCURRENT_JOBS}
 * @param bindAddress source address of origin connections ({@code wan.bindAddress}); {@code null}
 *     lets the kernel choose
 * @param destinationPolicy the SSRF guard every URL passes before the helper connects
 * @param originTimeout longest wait for an origin to connect, to answer, or to send the next byte
 *     of a flowing body; default {@link #DEFAULT_ORIGIN_TIMEOUT}
 * @param jobIdleTimeout a job without a range fetch for this long is dropped, freeing its slot;
 *     default {@link #DEFAULT_JOB_IDLE_TIMEOUT}
 * @param serverOptions base options of the peer listener
 * @param originClientOptions base options of the client that fetches from origins
 * @param identity this node's identity; with {@code trustedPeers}, peers use mutual TLS 1.3 and
 *     signatures
 * @param trustedPeers the homes this helper works for ({@code peer.trusted}), live
 * @param auditDir where the audit log is kept; {@code null}: no audit log
 * @param auditRetentionDays days of audit log kept, {@code >= 1}; default {@value
 *     AuditLog#DEFAULT_RETENTION_DAYS}
 * @param sharingGate the owner's admission policy, asked per offer and per range; default {@link
 *     SharingGate#OPEN}
 * @param bytesGiven hears every range byte sent, per home; default {@link BytesGivenListener#NONE}
 */
public record HelperOptions(
    String host,
    int port,
    boolean sharingEnabled,
    double maxRateMbps,
    int maxConcurrentJobs,
    String bindAddress,
    DestinationPolicy destinationPolicy,
    Duration originTimeout,
    Duration jobIdleTimeout,
    HttpServerOptions serverOptions,
    HttpClientOptions originClientOptions,
    Identity identity,
    TrustedPeers trustedPeers,
    Path auditDir,
    int auditRetentionDays,
    SharingGate sharingGate,
    BytesGivenListener bytesGiven) {

  /** The peer listener's default address: every interface. */
  public static final String DEFAULT_HOST = "0.0.0.0";

  /** The peer listener's default port ({@code peer.listen}). */
  public static final int DEFAULT_PORT = 7432;

  /** Sharing is off until the owner opts in. */
  public static final boolean DEFAULT_SHARING_ENABLED = false;

  /** Default cap on fetching for others: 10 Mbit/s ({@code sharing.maxRateMbps}). */
  public static final double DEFAULT_MAX_RATE_MBPS = 10;

  /** Default number of jobs held at once. */
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

  public HelperOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(destinationPolicy, "destinationPolicy");
    Objects.requireNonNull(originTimeout, "originTimeout");
    Objects.requireNonNull(jobIdleTimeout, "jobIdleTimeout");
    Objects.requireNonNull(serverOptions, "serverOptions");
    Objects.requireNonNull(originClientOptions, "originClientOptions");
    Objects.requireNonNull(sharingGate, "sharingGate");
    Objects.requireNonNull(bytesGiven, "bytesGiven");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(trustedPeers, "trustedPeers");
    if (auditRetentionDays < 1) {
      throw new IllegalArgumentException("auditRetentionDays must be at least 1");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (!(maxRateMbps > 0) || Double.isInfinite(maxRateMbps)) {
      throw new IllegalArgumentException("maxRateMbps must be positive: " + maxRateMbps);
    }
    if (maxConcurrentJobs < 1) {
      throw new IllegalArgumentException("maxConcurrentJobs must be at least 1");
    }
    if (originTimeout.toMillis() < 1 || jobIdleTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("timeouts must be at least 1 ms");
    }
  }

  /**
   * The defaults above with peers authenticated: mutual TLS 1.3, signed requests and chunks. The
   * helper presents {@code identity} and serves only the homes in {@code trustedPeers}.
   */
  public static HelperOptions secure(
      DestinationPolicy destinationPolicy, Identity identity, TrustedPeers trustedPeers) {
    return new HelperOptions(
        DEFAULT_HOST,
        DEFAULT_PORT,
        DEFAULT_SHARING_ENABLED,
        DEFAULT_MAX_RATE_MBPS,
        DEFAULT_MAX_CONCURRENT_JOBS,
        null,
        destinationPolicy,
        DEFAULT_ORIGIN_TIMEOUT,
        DEFAULT_JOB_IDLE_TIMEOUT,
        new HttpServerOptions().setIdleTimeout((int) DEFAULT_HOME_IDLE_TIMEOUT.toSeconds()),
        new HttpClientOptions(),
        identity,
        trustedPeers,
        null,
        AuditLog.DEFAULT_RETENTION_DAYS,
        SharingGate.OPEN,
        BytesGivenListener.NONE);
  }

  /** {@code mbps} in bytes per second: {@code mbps * 125 000}, at least 1. */
  public static long bytesPerSecond(double mbps) {
    return Math.max(1, Math.round(mbps * 125_000));
  }

  /** The cap in bytes per second: {@code maxRateMbps * 125 000}. */
  public long maxRateBytesPerSec() {
    return bytesPerSecond(maxRateMbps);
  }

  public HelperOptions withListen(String host, int port) {
    return new HelperOptions(
        host,
        port,
        sharingEnabled,
        maxRateMbps,
        maxConcurrentJobs,
        bindAddress,
        destinationPolicy,
        originTimeout,
        jobIdleTimeout,
        serverOptions,
        originClientOptions,
        identity,
        trustedPeers,
        auditDir,
        auditRetentionDays,
        sharingGate,
        bytesGiven);
  }

  public HelperOptions withSharing(boolean enabled, double maxRateMbps, int maxConcurrentJobs) {
    return new HelperOptions(
        host,
        port,
        enabled,
        maxRateMbps,
        maxConcurrentJobs,
        bindAddress,
        destinationPolicy,
        originTimeout,
        jobIdleTimeout,
        serverOptions,
        originClientOptions,
        identity,
        trustedPeers,
        auditDir,
        auditRetentionDays,
        sharingGate,
        bytesGiven);
  }

  public HelperOptions withBindAddress(String bindAddress) {
    return new HelperOptions(
        host,
        port,
        sharingEnabled,
        maxRateMbps,
        maxConcurrentJobs,
        bindAddress,
        destinationPolicy,
        originTimeout,
        jobIdleTimeout,
        serverOptions,
        originClientOptions,
        identity,
        trustedPeers,
        auditDir,
        auditRetentionDays,
        sharingGate,
        bytesGiven);
  }

  public HelperOptions withTimeouts(Duration originTimeout, Duration jobIdleTimeout) {
    return new HelperOptions(
        host,
        port,
        sharingEnabled,
        maxRateMbps,
        maxConcurrentJobs,
        bindAddress,
        destinationPolicy,
        originTimeout,
        jobIdleTimeout,
        serverOptions,
        originClientOptions,
        identity,
        trustedPeers,
        auditDir,
        auditRetentionDays,
        sharingGate,
        bytesGiven);
  }

  public HelperOptions withVertxOptions(
      HttpServerOptions serverOptions, HttpClientOptions originClientOptions) {
    return new HelperOptions(
        host,
        port,
        sharingEnabled,
        maxRateMbps,
        maxConcurrentJobs,
        bindAddress,
        destinationPolicy,
        originTimeout,
        jobIdleTimeout,
        serverOptions,
        originClientOptions,
        identity,
        trustedPeers,
        auditDir,
        auditRetentionDays,
        sharingGate,
        bytesGiven);
  }

  /**
   * Peers authenticate: mutual TLS 1.3 where a home is accepted only if its ID is in {@code
   * trustedPeers} (checked again on every request, so a reload takes effect at once), signed
   * requests, signed chunks.
   */
  public HelperOptions withIdentity(Identity identity, TrustedPeers trustedPeers) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(trustedPeers, "trustedPeers");
    return new HelperOptions(
        host,
        port,
        sharingEnabled,
        maxRateMbps,
        maxConcurrentJobs,
        bindAddress,
        destinationPolicy,
        originTimeout,
        jobIdleTimeout,
        serverOptions,
        originClientOptions,
        identity,
        trustedPeers,
        auditDir,
        auditRetentionDays,
        sharingGate,
        bytesGiven);
  }

  /**
   * Keeps the audit log in {@code auditDir} ({@code state.dir/audit}), dropping files older than
   * {@code auditRetentionDays}. See {@link AuditLog}.
   */
  public HelperOptions withAudit(Path auditDir, int auditRetentionDays) {
    return new HelperOptions(
        host,
        port,
        sharingEnabled,
        maxRateMbps,
        maxConcurrentJobs,
        bindAddress,
        destinationPolicy,
        originTimeout,
        jobIdleTimeout,
        serverOptions,
        originClientOptions,
        identity,
        trustedPeers,
        auditDir,
        auditRetentionDays,
        sharingGate,
        bytesGiven);
  }

  /** Asks {@code sharingGate} before every offer and range. */
  public HelperOptions withSharingGate(SharingGate sharingGate) {
    return new HelperOptions(
        host,
        port,
        sharingEnabled,
        maxRateMbps,
        maxConcurrentJobs,
        bindAddress,
        destinationPolicy,
        originTimeout,
        jobIdleTimeout,
        serverOptions,
        originClientOptions,
        identity,
        trustedPeers,
        auditDir,
        auditRetentionDays,
        sharingGate,
        bytesGiven);
  }

  /** Tells {@code bytesGiven} about every range byte sent. */
  public HelperOptions withBytesGivenListener(BytesGivenListener bytesGiven) {
    return new HelperOptions(
        host,
        port,
        sharingEnabled,
        maxRateMbps,
        maxConcurrentJobs,
        bindAddress,
        destinationPolicy,
        originTimeout,
        jobIdleTimeout,
        serverOptions,
        originClientOptions,
        identity,
        trustedPeers,
        auditDir,
        auditRetentionDays,
        sharingGate,
        bytesGiven);
  }
}
