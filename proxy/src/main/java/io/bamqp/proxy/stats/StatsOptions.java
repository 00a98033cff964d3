package io.bamqp.proxy.stats;

import java.nio.file.Path;

/**
 * What the statistics page needs to know. The node maps these from its config ({@code stats.*},
 * {@code state.dir}, {@code aggregation.bufferBytes}, {@code wan.lineRateMbps}); the defaults live
 * there.
 *
 * @param listenHost the address the page binds
 * @param listenPort its port; 0 picks a free one
 * @param token the Bearer token that changes need, or null when changes are disabled
 * @param historySize finished downloads kept in the history
 * @param stateDir the folder that holds the history file
 * @param bufferBytesPerDownload each download's reorder window, shown beside what is buffered
 * @param lineBytesPerSecond the home line's nominal rate, the base of the speed-up figures
 * @param proxyHost the address the proxy listens on, for the page's {@code /fetch} links; null when
 *     it listens on every address, so that the page uses the one its reader reached it by
 * @param proxyPort the port the proxy listens on
 */
public record StatsOptions(
    String listenHost,
    int listenPort,
    String token,
    int historySize,
    Path stateDir,
    long bufferBytesPerDownload,
    long lineBytesPerSecond,
    String proxyHost,
    int proxyPort) {

  /** {@code host:port}, IPv6 hosts in brackets, as the config writes it. */
  public String listen() {
    return (listenHost.indexOf(':') >= 0 ? "[" + listenHost + "]" : listenHost) + ":" + listenPort;
  }
}
