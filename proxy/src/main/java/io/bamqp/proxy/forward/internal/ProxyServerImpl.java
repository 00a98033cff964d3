package io.bamqp.proxy.forward.internal;

import io.bamqp.peer.DnsWorkers;
import io.bamqp.peer.OriginTls;
import io.bamqp.peer.ReadBatching;
import io.bamqp.proxy.aggregation.Aggregator;
import io.bamqp.proxy.forward.ProxyOptions;
import io.bamqp.proxy.forward.ProxyServer;
import io.bamqp.proxy.sharing.OwnTraffic;
import io.bamqp.security.HostPort;
import io.bamqp.security.OriginTrust;
import io.bamqp.security.OwnSockets;
import io.bamqp.security.Resolvers;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Wires the front door, the origin pool and the tunnel client from the options. */
public final class ProxyServerImpl implements ProxyServer {
  /** Bytes of an HTTP/1 request line beyond the URI itself: method, spaces, version. */
  private static final int REQUEST_LINE_OVERHEAD = 32;

  /** Largest body piece the HTTP decoders hand over at once (Vert.x's default is 8 KiB). */
  static final int RELAY_CHUNK_SIZE = ReadBatching.DECODED_CHUNK_BYTES;

  /** Distinct negative ports, one per listener on port 0 (see {@link #sharedPorts}). */
  private static final AtomicInteger FREE_PORT_KEYS = new AtomicInteger();

  private final Vertx vertx;
  private final List<String> deployments;
  private final List<Integer> ports;
  private final HttpClient originClient;
  private final NetClient tunnelClient;
  private final WorkerExecutor dns;
  private final ProxyFront front;
  private final Aggregator aggregator;
  private final OwnTraffic ownTraffic;

  private ProxyServerImpl(
      Vertx vertx,
      List<String> deployments,
      List<Integer> ports,
      HttpClient originClient,
      NetClient tunnelClient,
      WorkerExecutor dns,
      ProxyFront front,
      Aggregator aggregator,
      OwnTraffic ownTraffic) {
    this.vertx = vertx;
    this.deployments = deployments;
    this.ports = ports;
    this.originClient = originClient;
    this.tunnelClient = tunnelClient;
    this.dns = dns;
    this.front = front;
    this.aggregator = aggregator;
    this.ownTraffic = ownTraffic;
  }

  public static Future<ProxyServer> start(
      Vertx vertx,
      ProxyOptions proxy,
      Aggregator aggregator,
      OwnTraffic ownTraffic,
      OwnSockets own) {
    // The CA files and the system's store are blocking reads: off the event loop.
    return vertx
        .executeBlocking(() -> OriginTrust.withCaFiles(proxy.originCaFiles()), false)
        .compose(trust -> start(vertx, proxy, trust, aggregator, ownTraffic, own));
  }

  private static Future<ProxyServer> start(
      Vertx vertx,
      ProxyOptions proxy,
      OriginTrust trust,
      Aggregator aggregator,
      OwnTraffic ownTraffic,
      OwnSockets own) {
    HttpClientOptions originOptions =
        new HttpClientOptions()
            .setName("bamqp-origin")
            .setKeepAlive(true)
            .setConnectTimeout((int) proxy.connectTimeout().toMillis())
            .setMaxHeaderSize(proxy.maxHeaderSize())
            .setMaxInitialLineLength(proxy.maxUriLength() + REQUEST_LINE_OVERHEAD)
            .setMaxChunkSize(RELAY_CHUNK_SIZE)
            .setDecompressionSupported(false);
    OriginTls.apply(originOptions, trust);
    NetClientOptions tunnelOptions =
        new NetClientOptions()
            .setConnectTimeout((int) proxy.connectTimeout().toMillis())
            .setIdleTimeout((int) proxy.idleTimeout().toSeconds())
            .setIdleTimeoutUnit(TimeUnit.SECONDS);
    if (proxy.bindAddress() != null) {
      originOptions.setLocalAddress(proxy.bindAddress());
      tunnelOptions.setLocalAddress(proxy.bindAddress());
    }
    PoolOptions originPool = new PoolOptions().setHttp1MaxSize(proxy.maxConnectionsPerOrigin());
    HttpClient originClient = vertx.createHttpClient(originOptions, originPool);
    // The home's other lines: the same client, each bound to its line's address.
    aggregator.lines().connect(originOptions, originPool);
    NetClient tunnelClient = vertx.createNetClient(tunnelOptions);
    WorkerExecutor dns = DnsWorkers.open(vertx);

    List<HttpServerOptions> listeners = new ArrayList<>();
    for (HostPort listen : proxy.listeners()) {
      listeners.add(
          new HttpServerOptions()
              .setHost(listen.host())
              .setPort(listen.port())
              .setMaxHeaderSize(proxy.maxHeaderSize())
              .setMaxInitialLineLength(proxy.maxUriLength() + REQUEST_LINE_OVERHEAD)
              .setIdleTimeout((int) proxy.idleTimeout().toSeconds())
              .setIdleTimeoutUnit(TimeUnit.SECONDS)
              .setHandle100ContinueAutomatically(true)
              .setHttp2ClearTextEnabled(false)
              .setMaxChunkSize(RELAY_CHUNK_SIZE)
              .setCompressionSupported(false));
    }

    Failures failures = new Failures(proxy.connectTimeout(), proxy.originTimeout());
    ViaHeader via = ViaHeader.random();
    // A configured port counts as own before the bind; an ephemeral one once bound.
    proxy.listeners().forEach(listen -> own.listening(listen.port()));
    ProxyFront front =
        new ProxyFront(
            new ProxyContext(
                vertx,
                proxy,
                originClient,
                tunnelClient,
                dns,
                Resolvers.of(proxy.dnsServers()),
                failures,
                via,
                own,
                aggregator,
                ownTraffic));
    // One instance per event loop: the listening sockets are shared, the connections spread.
    List<ListenerVerticle> instances = new CopyOnWriteArrayList<>();
    List<String> deployments = new CopyOnWriteArrayList<>();
    List<HttpServerOptions> shared = sharedPorts(listeners);
    return vertx
        .deployVerticle(
            () -> {
              ListenerVerticle instance = new ListenerVerticle(shared, front);
              instances.add(instance);
              return instance;
            },
            new DeploymentOptions().setInstances(proxy.eventLoops()))
        .map(deployments::add)
        .map(
            deployed -> {
              List<Integer> ports = instances.get(0).ports();
              ports.forEach(own::listening);
              front.listeningOn(ports.get(0));
              return (ProxyServer)
                  new ProxyServerImpl(
                      vertx,
                      deployments,
                      ports,
                      originClient,
                      tunnelClient,
                      dns,
                      front,
                      aggregator,
                      ownTraffic);
            })
        .onFailure(cause -> close(vertx, deployments, originClient, tunnelClient, dns));
  }

  /**
   * The listeners as every instance binds them. A port of 0 would give each instance a free port of
   * its own; Vert.x shares one free port among the servers asking for the same negative port,
   * across the whole Vert.x instance, so each listener of each proxy gets a negative port of its
   * own (other nodes in the same JVM must not share this one's socket).
   */
  private static List<HttpServerOptions> sharedPorts(List<HttpServerOptions> listeners) {
    return listeners.stream()
        .map(
            options ->
                options.getPort() == 0
                    ? new HttpServerOptions(options).setPort(-FREE_PORT_KEYS.incrementAndGet())
                    : options)
        .toList();
  }

  @Override
  public int port() {
    return ports.get(0);
  }

  @Override
  public List<Integer> ports() {
    return ports;
  }

  @Override
  public java.util.List<io.bamqp.proxy.aggregation.SessionReport> recentDownloads() {
    return aggregator.recentDownloads();
  }

  @Override
  public OwnTraffic ownTraffic() {
    return ownTraffic;
  }

  @Override
  public io.bamqp.proxy.aggregation.DownloadBoard downloads() {
    return aggregator.downloads();
  }

  @Override
  public int openConnections() {
    return front.openConnections();
  }

  @Override
  public int idleConnections() {
    return front.idleConnections();
  }

  /** The event loops the open client connections live on. */
  java.util.Set<Thread> loopsServing() {
    return front.loopsServing();
  }

  @Override
  public Future<Void> close() {
    return close(vertx, deployments, originClient, tunnelClient, dns);
  }

  /** Undeploying the listeners closes their servers and, with them, the client connections. */
  private static Future<Void> close(
      Vertx vertx,
      List<String> deployments,
      HttpClient origin,
      NetClient tunnel,
      WorkerExecutor dns) {
    List<Future<?>> closed = new ArrayList<>();
    deployments.forEach(deployment -> closed.add(vertx.undeploy(deployment)));
    closed.add(origin.close());
    closed.add(tunnel.close());
    closed.add(dns.close());
    return Future.join(closed).mapEmpty();
  }
}
