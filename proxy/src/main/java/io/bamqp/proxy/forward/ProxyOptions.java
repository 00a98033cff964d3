package io.bamqp.proxy.forward;

import io.bamqp.proxy.cdn.CdnDomains;
import io.bamqp.security.Cidr;
import io.bamqp.security.HostPort;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the forward proxy needs to know: where it listens, whom it serves, its limits and timeouts,
 * and the node's outgoing side. The node maps these from its config ({@code proxy.*}, {@code
 * wan.bindAddress}, {@code security.allowDestinations}, {@code security.originCaFiles}); the
 * defaults live there.
 *
 * @param listeners the addresses the proxy binds, each taking every request form; port 0 picks a
 *     free one
 * @param allowedClients client addresses served; others get 403
 * @param connectPorts ports a {@code CONNECT} tunnel may reach
 * @param maxHeaderSize largest request or response head, in bytes
 * @param maxUriLength longest request target, in bytes
 * @param connectTimeout how long connecting to an origin may take
 * @param originTimeout how long an origin may stay silent
 * @param idleTimeout how long a client connection or tunnel may stay idle
 * @param headerTimeout how long a client may take to send a whole request head (the first from the
 *     accept, each later one from its first byte); then 408 and close
 * @param maxClientConnections client connections served at once; when all are taken, the one idle
 *     the longest is closed for a new one, and with none idle the new one gets 503
 * @param maxConnectionsPerClient client connections from one address at once; beyond it the same
 *     rule, among that address's connections
 * @param maxConnectionsPerOrigin the origin pool's size per origin
 * @param bindAddress the source address of outgoing connections; null lets the kernel choose
 * @param allowDestinations blocks that may be reached anyway: this router's own addresses, and for
 *     a redirect {@code /fetch} follows, private and other special addresses
 * @param originCaFiles PEM files of private CAs trusted for TLS to origins, beside the system's
 * @param dnsServers the resolvers origin names are looked up with; empty for the system's
 * @param cdnDomains the names LAN DNS may point at this node (DNS mode); one of them resolving to
 *     this node again is a loop
 * @param eventLoops how many event loops serve client connections (each connection, with its
 *     exchanges and download sessions, stays on one); the node uses one per core
 */
public record ProxyOptions(
    List<HostPort> listeners,
    List<Cidr> allowedClients,
    List<Integer> connectPorts,
    int maxHeaderSize,
    int maxUriLength,
    Duration connectTimeout,
    Duration originTimeout,
    Duration idleTimeout,
    Duration headerTimeout,
    int maxClientConnections,
    int maxConnectionsPerClient,
    int maxConnectionsPerOrigin,
    String bindAddress,
    List<Cidr> allowDestinations,
    List<Path> originCaFiles,
    List<InetSocketAddress> dnsServers,
    CdnDomains cdnDomains,
    int eventLoops) {

  /** One event loop per core: a router's cores all serve clients. */
  public static int defaultEventLoops() {
    return Runtime.getRuntime().availableProcessors();
  }

  public ProxyOptions {
    listeners = List.copyOf(listeners);
    if (listeners.isEmpty()) {
      throw new IllegalArgumentException("the proxy needs at least one listener");
    }
    dnsServers = List.copyOf(dnsServers);
    allowedClients = List.copyOf(allowedClients);
    connectPorts = List.copyOf(connectPorts);
    allowDestinations = List.copyOf(allowDestinations);
    originCaFiles = List.copyOf(originCaFiles);
    if (eventLoops < 1) {
      throw new IllegalArgumentException("eventLoops must be at least 1, not " + eventLoops);
    }
  }

  /** These options served by {@code loops} event loops. */
  public ProxyOptions withEventLoops(int loops) {
    return new ProxyOptions(
        listeners,
        allowedClients,
        connectPorts,
        maxHeaderSize,
        maxUriLength,
        connectTimeout,
        originTimeout,
        idleTimeout,
        headerTimeout,
        maxClientConnections,
        maxConnectionsPerClient,
        maxConnectionsPerOrigin,
        bindAddress,
        allowDestinations,
        originCaFiles,
        dnsServers,
        cdnDomains,
        loops);
  }
}
