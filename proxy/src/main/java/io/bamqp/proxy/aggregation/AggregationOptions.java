package io.bamqp.proxy.aggregation;

import io.bamqp.proxy.cdn.CdnDomains;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the aggregation engine needs to know: when a download is split, how far ahead sources may
 * fetch, when a source counts as stalled, how much of the neighbors' bytes home re-checks, and the
 * home line's nominal rate. The node maps these from its config ({@code aggregation.*}, {@code
 * wan.lineRateMbps}); the defaults live there.
 *
 * @param enabled whether eligible downloads are split at all
 * @param minBytes smaller responses stream through untouched
 * @param bufferBytes the reorder window: how far ahead of the client any source may fetch
 * @param stallTimeout silence beyond a source's predicted pace after which its range goes elsewhere
 * @param credentialedDomains lower-case domains whose credentialed requests may still be split
 * @param spotCheckRatio share of each neighbor's ranges of which home re-fetches one block, in [0,
 *     1]
 * @param lineBytesPerSecond the home line's nominal rate, the planner's first guess for it
 * @param totalBufferBytes the node's {@link BufferBudget}: what every download's window adds up to
 * @param cdnDomains the download CDN names (DNS mode) a download's host is labelled with
 * @param sidecarDigests whether a download is checked against what its origin publishes beside it:
 *     a Metalink's piece hashes ({@link MetalinkLookup}), and without a digest header a SHA-256
 *     (the Metalink's, {@code FILE.sha256}, {@code SHA256SUMS})
 */
public record AggregationOptions(
    boolean enabled,
    long minBytes,
    long bufferBytes,
    Duration stallTimeout,
    List<String> credentialedDomains,
    double spotCheckRatio,
    long lineBytesPerSecond,
    long totalBufferBytes,
    CdnDomains cdnDomains,
    boolean sidecarDigests) {

  public AggregationOptions {
    credentialedDomains = List.copyOf(credentialedDomains);
    Objects.requireNonNull(cdnDomains, "cdnDomains");
  }

  /**
   * The same without CDN names (no download is labelled with a service) and without published
   * digest files.
   */
  public AggregationOptions(
      boolean enabled,
      long minBytes,
      long bufferBytes,
      Duration stallTimeout,
      List<String> credentialedDomains,
      double spotCheckRatio,
      long lineBytesPerSecond,
      long totalBufferBytes) {
    this(
        enabled,
        minBytes,
        bufferBytes,
        stallTimeout,
        credentialedDomains,
        spotCheckRatio,
        lineBytesPerSecond,
        totalBufferBytes,
        CdnDomains.of(List.of(), List.of()),
        false);
  }

  /**
   * The same with the default budget, a share of this JVM's heap ({@link BufferBudget#fromHeap}).
   */
  public AggregationOptions(
      boolean enabled,
      long minBytes,
      long bufferBytes,
      Duration stallTimeout,
      List<String> credentialedDomains,
      double spotCheckRatio,
      long lineBytesPerSecond) {
    this(
        enabled,
        minBytes,
        bufferBytes,
        stallTimeout,
        credentialedDomains,
        spotCheckRatio,
        lineBytesPerSecond,
        BufferBudget.fromHeap(Runtime.getRuntime().maxMemory()));
  }
}
