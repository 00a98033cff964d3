package io.bamqp.proxy.node;

import io.bamqp.proxy.aggregation.AggregationOptions;
import io.bamqp.proxy.aggregation.BufferBudget;
import io.bamqp.proxy.aggregation.WanLine;
import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ByteSize;
import io.bamqp.proxy.config.ConfigException;
import io.bamqp.proxy.forward.ProxyOptions;
import io.bamqp.proxy.sharing.SharingOptions;
import io.bamqp.proxy.stats.SharingView;
import io.bamqp.proxy.stats.StatsOptions;
import io.bamqp.security.HostPort;
import io.netty.util.internal.PlatformDependent;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * The one place where the node's config becomes each part's own options: the forward proxy, the
 * aggregation engine, sharing and the statistics page never see {@link BamqpConfig}.
 */
public final class ConfigMapping {
  private ConfigMapping() {}

  /** The forward proxy: {@code proxy.*}, {@code wan.bindAddress}, destinations, the origin CAs. */
  public static ProxyOptions proxy(BamqpConfig config) {
    BamqpConfig.Proxy proxy = config.proxy();
    return new ProxyOptions(
        proxy.listeners().stream()
            .map(listen -> HostPort.of(listen.host(), listen.port()))
            .toList(),
        proxy.allowedClients(),
        proxy.connectPorts(),
        proxy.maxHeaderSize().toIntExact(),
        proxy.maxUriLength().toIntExact(),
        proxy.connectTimeout(),
        proxy.originTimeout(),
        proxy.idleTimeout(),
        proxy.headerTimeout(),
        proxy.maxClientConnections(),
        proxy.maxConnectionsPerClient(),
        proxy.maxConnectionsPerOrigin(),
        config.wan().bindsSourceAddress() ? config.wan().bindAddress() : null,
        config.security().allowDestinations(),
        config.security().originCaPaths(),
        config.wan().dnsServerAddresses(),
        config.cdn().domains(),
        ProxyOptions.defaultEventLoops());
  }

  /** The aggregation engine: {@code aggregation.*} and the home line's rate. */
  public static AggregationOptions aggregation(BamqpConfig config) {
    BamqpConfig.Aggregation aggregation = config.aggregation();
    return new AggregationOptions(
        aggregation.enabled(),
        aggregation.minBytes().bytes(),
        aggregation.bufferBytes().bytes(),
        aggregation.stallTimeout(),
        aggregation.credentialedDomains(),
        aggregation.spotCheckRatio(),
        config.wan().lineBytesPerSecond(),
        totalBufferBytes(config),
        config.cdn().domains(),
        aggregation.sidecarDigests());
  }

  /**
   * The reorder memory of all aggregated downloads: {@code aggregation.totalBufferBytes}, or a
   * share of the heap ({@link BufferBudget#fromHeap}) when unset. Checked against this JVM, so
   * {@code bamqp check} and {@code bamqp run} refuse a budget it cannot hold.
   *
   * @throws ConfigException when a set budget is more than half of this JVM's direct memory
   */
  public static long totalBufferBytes(BamqpConfig config) {
    return totalBufferBytes(config, PlatformDependent.maxDirectMemory());
  }

  /**
   * {@link #totalBufferBytes(BamqpConfig)} for a JVM with {@code directMemoryBytes} of direct
   * memory ({@code -XX:MaxDirectMemorySize}, by default {@code -Xmx}). The windows live there
   * beside the network's own buffers. A budget over half of it lets the windows fill it: a download
   * that finds it full keeps its early bytes on the heap instead, which they may then fill too, and
   * a node out of heap exits.
   */
  static long totalBufferBytes(BamqpConfig config, long directMemoryBytes) {
    ByteSize set = config.aggregation().totalBufferBytes();
    if (set == null) {
      return BufferBudget.fromHeap(Runtime.getRuntime().maxMemory());
    }
    if (set.bytes() > directMemoryBytes / 2) {
      throw new ConfigException(
          "aggregation.totalBufferBytes",
          String.format(
              Locale.ROOT,
              "%s is more than half of this JVM's direct memory (%.1f MiB: -XX:MaxDirectMemorySize,"
                  + " by default -Xmx), where the reorder windows live beside the network's"
                  + " buffers: lower it, or give the JVM more in BAMQP_JAVA_OPTS",
              set,
              directMemoryBytes / 1048576.0));
    }
    return set.bytes();
  }

  /**
   * The node's own lines, the primary first: {@code wan.lines}, or the one line of {@code
   * wan.bindAddress} and {@code wan.lineRateMbps}.
   */
  public static List<WanLine> lines(BamqpConfig config) {
    return config.wan().effectiveLines().stream()
        .map(
            line ->
                new WanLine(
                    line.name(),
                    line.bindAddress(),
                    line.bytesPerSecond(),
                    line.metered(),
                    line.monthlyCap() == null ? WanLine.NO_CAP : line.monthlyCap().bytes(),
                    line.metered() ? line.minBytes().bytes() : 0))
        .toList();
  }

  /** What this node gives neighbors: {@code sharing.*}. */
  public static SharingOptions sharing(BamqpConfig.Sharing sharing) {
    return new SharingOptions(
        sharing.enabled(),
        sharing.maxRateMbps(),
        sharing.maxConcurrentJobs(),
        sharing.sharePercent(),
        sharing.offPeak(),
        sharing.monthlyCap(),
        sharing.peerMonthlyCap(),
        sharing.yieldFloorMbps());
  }

  /** The statistics page: {@code stats.*}, {@code state.dir} and the figures it shows. */
  public static StatsOptions stats(BamqpConfig config) {
    return stats(config, config.proxy().listen().port());
  }

  /**
   * The same, with the port the proxy actually bound ({@code proxy.listen} may ask for port 0): the
   * page's {@code /fetch} links name it.
   */
  public static StatsOptions stats(BamqpConfig config, int proxyPort) {
    BamqpConfig.Stats stats = config.stats();
    String proxyHost = config.proxy().listen().host();
    boolean everyAddress =
        HostPort.of(proxyHost, 0)
            .literalAddress()
            .filter(InetAddress::isAnyLocalAddress)
            .isPresent();
    return new StatsOptions(
        stats.listen().host(),
        stats.listen().port(),
        stats.token(),
        stats.historySize(),
        config.state().path(),
        config.aggregation().bufferBytes().bytes(),
        config.wan().lineBytesPerSecond(),
        everyAddress ? null : proxyHost,
        proxyPort);
  }

  /** The page's view of {@code sharing} with this usage (null where not measured). */
  public static SharingView sharingView(
      BamqpConfig.Sharing sharing, Long usedTodayBytes, Long usedThisMonthBytes, String note) {
    return new SharingView(
        sharing.enabled(),
        sharing.maxRateMbps(),
        sharing.sharePercent(),
        sharing.offPeak().toString(),
        sharing.monthlyCap() == null ? null : sharing.monthlyCap().bytes(),
        sharing.peerMonthlyCap() == null ? null : sharing.peerMonthlyCap().bytes(),
        sharing.maxConcurrentJobs(),
        usedTodayBytes,
        usedThisMonthBytes,
        note);
  }
}
