package io.bamqp.proxy.node;

import io.bamqp.peer.HelperLinkOptions;
import io.bamqp.peer.HelperOptions;
import io.bamqp.peer.HelperServer;
import io.bamqp.peer.OriginTls;
import io.bamqp.proxy.aggregation.Aggregator;
import io.bamqp.proxy.aggregation.Neighbors;
import io.bamqp.proxy.aggregation.OwnLines;
import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.forward.ProxyServer;
import io.bamqp.proxy.sharing.HelperControls;
import io.bamqp.proxy.sharing.Ledger;
import io.bamqp.proxy.sharing.OwnTraffic;
import io.bamqp.proxy.sharing.SharingGovernor;
import io.bamqp.proxy.stats.SharingView;
import io.bamqp.proxy.stats.StatsServer;
import io.bamqp.proxy.stats.StatsSources;
import io.bamqp.security.DestinationPolicy;
import io.bamqp.security.Identity;
import io.bamqp.security.OriginTrust;
import io.bamqp.security.OwnSockets;
import io.bamqp.security.PeerId;
import io.bamqp.security.Resolvers;
import io.bamqp.security.TrustedPeers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One bamqp node: the proxy its own LAN clients use; the helper server on {@code peer.listen}
 * through which trusted neighbors ask it for ranges (declined while {@code sharing.enabled} is off,
 * and yielding to its own clients); discovery, which keeps the usable neighbors current; and the
 * statistics page. The node's identity, audit log, ledger and history live in {@code state.dir}.
 *
 * <p>Parts are started in order; a part that fails to start closes the ones already running.
 * Closing closes every part at once and the ledger last, once the others are done.
 */
public final class Node {
  /** The audit log's folder inside {@code state.dir}. */
  public static final String AUDIT_DIR = "audit";

  private static final System.Logger LOG = System.getLogger("io.bamqp.node");

  private final Vertx vertx;
  private final Identity identity;
  private final Ledger ledger;
  private final OwnTraffic ownTraffic;
  private final SharingGovernor governor;
  private final Neighbors neighbors;
  private volatile BamqpConfig config;

  // Set once each while starting, before the node is handed out.
  private OwnSockets own;
  private long ownAddressTimer = -1;
  private HelperServer helper;
  private ProxyServer proxy;
  private OwnLines lines;
  private NeighborFeed neighborFeed;
  private StatsServer stats;

  private Node(Vertx vertx, BamqpConfig config, Identity identity, Ledger ledger) {
    this.vertx = vertx;
    this.config = config;
    this.identity = identity;
    this.ledger = ledger;
    this.ownTraffic = OwnTraffic.create(vertx);
    this.governor =
        new SharingGovernor(
            ConfigMapping.sharing(config.sharing()),
            config.wan().lineRateMbps(),
            ledger,
            Clock.systemDefaultZone());
    governor.watch(ownTraffic);
    this.neighbors =
        new Neighbors(
            vertx,
            (id, address) ->
                HelperLinkOptions.builder(
                        address.host(), address.port(), identity, PeerId.parse(id))
                    .build());
    neighbors.onDelivered(ledger::received);
  }

  /**
   * Starts every part of a node, making its identity in {@code state.dir} first if there is none
   * (tests and embedders; {@code bamqp run} never does, see {@link #start(Vertx, BamqpConfig,
   * Identity)}). Fails with a {@link StartFailure} naming the part's setting and the cause.
   */
  public static Future<Node> start(Vertx vertx, BamqpConfig config) {
    // Key files are blocking reads: off the event loop.
    return vertx
        .executeBlocking(() -> Identity.loadOrCreate(config.state().path()), false)
        .recover(failure -> Future.failedFuture(StartFailure.stateDir(config, failure)))
        .compose(identity -> start(vertx, config, identity));
  }

  /**
   * Starts every part of a node as {@code identity}; fails with a {@link StartFailure} naming the
   * setting of the part that could not start ({@code proxy.listen 0.0.0.0:3128: address in use})
   * after closing the parts already running.
   */
  public static Future<Node> start(Vertx vertx, BamqpConfig config, Identity identity) {
    return Ledger.open(vertx, config.state().path())
        .recover(failure -> Future.failedFuture(StartFailure.stateDir(config, failure)))
        .map(ledger -> new Node(vertx, config, identity, ledger))
        .compose(
            node ->
                node.startParts()
                    .recover(
                        failure -> node.close().transform(closed -> Future.failedFuture(failure))));
  }

  private Future<Node> startParts() {
    return vertx
        .executeBlocking(this::readOwnSockets, false)
        .compose(
            read -> {
              own = read;
              watchOwnAddresses();
              return vertx
                  .executeBlocking(
                      () -> OriginTrust.withCaFiles(config.security().originCaPaths()), false)
                  .recover(
                      failure ->
                          Future.failedFuture(
                              new StartFailure(
                                  "security.originCaFiles",
                                  config.security().originCaFiles().toString(),
                                  failure)));
            })
        .compose(
            trust ->
                HelperServer.start(vertx, helperOptions(trust))
                    .recover(
                        failure ->
                            Future.failedFuture(
                                StartFailure.listener(
                                    "peer.listen", config.peer().listen(), failure))))
        .compose(
            started -> {
              helper = started; // its port is in own already: the helper registers it on bind
              governor.attach(HelperControls.of(started));
              return OwnLines.open(vertx, ConfigMapping.lines(config), config.state().path());
            })
        .compose(
            opened -> {
              lines = opened;
              Aggregator aggregator =
                  new Aggregator(vertx, ConfigMapping.aggregation(config), neighbors)
                      .overLines(opened);
              return ProxyServer.start(
                      vertx, ConfigMapping.proxy(config), aggregator, ownTraffic, own)
                  .recover(
                      failure ->
                          Future.failedFuture(
                              StartFailure.listener(
                                  "proxy.listen", config.proxy().listen(), failure)));
            })
        .compose(
            started -> {
              proxy = started;
              return vertx
                  .executeBlocking(
                      () ->
                          NeighborFeed.start(
                              vertx, config, identity, neighbors, ledger, helper.port()),
                      false)
                  .recover(
                      failure ->
                          Future.failedFuture(
                              new StartFailure(
                                  "discovery", "mdns: " + config.discovery().mdns(), failure)));
            })
        .compose(
            started -> {
              neighborFeed = started;
              return config.stats().enabled()
                  ? StatsServer.start(
                          vertx,
                          ConfigMapping.stats(config, proxy.port()),
                          proxy.downloads(),
                          statsSources())
                      .recover(
                          failure ->
                              Future.failedFuture(
                                  StartFailure.listener(
                                      "stats.listen", config.stats().listen(), failure)))
                  : Future.succeededFuture(null);
            })
        .map(
            started -> {
              stats = started;
              if (started != null) {
                own.listening(started.port());
              }
              return this;
            });
  }

  /**
   * This machine's addresses, with every port the config names already counted as the node's own: a
   * neighbor or a client must never reach one, even in the moment between its bind and its
   * registration. Ports chosen at bind time ({@code :0}) are added as each part binds. Blocking.
   */
  private OwnSockets readOwnSockets() {
    OwnSockets read = OwnSockets.read();
    config.proxy().listeners().forEach(listen -> read.listening(listen.port()));
    read.listening(config.peer().listen().port());
    if (config.stats().enabled()) {
      read.listening(config.stats().listen().port());
    }
    return read;
  }

  /** Reads the interfaces again every {@link OwnSockets#REREAD_INTERVAL} (DHCP, PPPoE). */
  private void watchOwnAddresses() {
    ownAddressTimer =
        vertx.setPeriodic(
            OwnSockets.REREAD_INTERVAL.toMillis(),
            tick ->
                vertx
                    .executeBlocking(own::reread, false)
                    .onSuccess(
                        changed -> {
                          if (changed) {
                            LOG.log(
                                Level.INFO,
                                "this router''s addresses changed: {0}",
                                own.addresses().stream()
                                    .map(InetAddress::getHostAddress)
                                    .sorted()
                                    .toList());
                          }
                        }));
  }

  private HelperOptions helperOptions(OriginTrust originTrust) {
    DestinationPolicy policy =
        DestinationPolicy.create(
            config.security().allowDestinations(),
            own,
            Resolvers.of(config.wan().dnsServerAddresses()));
    HelperOptions.Builder options =
        HelperOptions.builder(policy, identity, TrustedPeers.of(config.peer().trusted()))
            .audit(config.state().path().resolve(AUDIT_DIR), config.security().auditRetentionDays())
            .auditMaxBytes(config.security().auditMaxBytes().bytes())
            .listen(config.peer().listen().host(), config.peer().listen().port())
            .sharing(
                config.sharing().enabled(),
                config.sharing().maxRateMbps(),
                config.sharing().maxConcurrentJobs())
            .sharingGate(governor::declineReason)
            .bytesGiven(ledger::given)
            .originClientOptions(OriginTls.apply(new HttpClientOptions(), originTrust));
    if (config.wan().bindsSourceAddress()) {
      options.bindAddress(config.wan().bindAddress());
    }
    return options.build();
  }

  private StatsSources statsSources() {
    return new StatsSources(neighborFeed, this::sharingView, new PageActions(this::change));
  }

  private SharingView sharingView() {
    BamqpConfig.Sharing sharing = config.sharing();
    var used = ledger.snapshot().totals();
    String note =
        !sharing.enabled()
            ? "sharing is off"
            : String.format(
                Locale.ROOT,
                governor.yielding()
                    ? "yielding to this router's own clients: neighbors get %.1f Mbit/s"
                    : "neighbors get up to %.1f Mbit/s",
                governor.rateMbps());
    return ConfigMapping.sharingView(sharing, used.givenToday(), used.givenThisMonth(), note);
  }

  /**
   * Takes on a changed config without a restart: trusted peers (on both sides), static peers,
   * sharing and its caps, what discovery announces. Downloads in flight keep the neighbors they
   * started with; sockets and folders keep theirs until the next start.
   */
  public synchronized Future<Void> reconfigure(BamqpConfig next) {
    this.config = next;
    helper.updateTrusted(Set.copyOf(next.peer().trusted()));
    governor.reconfigure(ConfigMapping.sharing(next.sharing()));
    neighborFeed.reconfigure(next);
    return Future.succeededFuture();
  }

  /**
   * Applies {@code edit} to the config in force, atomically with respect to reloads of the file
   * (which call {@link #reconfigure} from the watcher's thread).
   */
  private synchronized Future<Void> change(UnaryOperator<BamqpConfig> edit) {
    return reconfigure(edit.apply(config));
  }

  /** This node's peer ID. */
  public PeerId id() {
    return identity.id();
  }

  /** Where this node keeps its identity, audit log, ledger and history ({@code state.dir}). */
  public Path stateDir() {
    return config.state().path();
  }

  /** Peer ID → why it gets no more work, for neighbors caught sending wrong bytes. */
  public Map<String, String> quarantinedPeers() {
    return neighbors.quarantined();
  }

  /** The neighbors as the statistics page lists them. */
  public NeighborFeed neighborFeed() {
    return neighborFeed;
  }

  /** The proxy's bound port. */
  public int proxyPort() {
    return proxy.port();
  }

  /** The helper server's bound port. */
  public int peerPort() {
    return helper.port();
  }

  /** The statistics page's bound port; -1 when {@code stats.enabled} is off. */
  public int statsPort() {
    return stats == null ? -1 : stats.port();
  }

  /** The proxy, for its counters. */
  public ProxyServer proxy() {
    return proxy;
  }

  /** Stops every part that runs, then saves and closes the ledger. */
  public Future<Void> close() {
    if (ownAddressTimer >= 0) {
      vertx.cancelTimer(ownAddressTimer);
    }
    List<Future<?>> closing = new ArrayList<>();
    if (stats != null) {
      closing.add(stats.close());
    }
    if (neighborFeed != null) {
      closing.add(neighborFeed.close());
    }
    if (proxy != null) {
      closing.add(proxy.close());
    }
    if (helper != null) {
      closing.add(helper.close());
    }
    closing.add(neighbors.close());
    if (lines != null) {
      closing.add(lines.close());
    }
    ownTraffic.close();
    return Future.join(closing).eventually(ledger::close).mapEmpty();
  }
}
