package io.bamqp.discovery.internal;

import io.bamqp.discovery.Discovery;
import io.bamqp.security.PeerId;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import javax.jmdns.impl.JmDNSImpl;
import javax.jmdns.impl.ServiceInfoImpl;

/**
 * One jmdns responder per advertised address: announces this node and browses for the others. Every
 * blocking jmdns call runs on {@code worker}; jmdns calls {@link ServiceListener} on its own
 * threads, where nothing blocks and nothing is thrown.
 */
final class MdnsAgent implements ServiceListener {
  private static final Logger LOG = System.getLogger("io.bamqp.discovery");

  /**
   * How often expired records are swept out of jmdns's cache. jmdns's own reaper runs every 10 s (a
   * compiled-in constant), so without this sweep a goodbye would surface up to 10 s late.
   */
  static final Duration GOODBYE_SWEEP_INTERVAL = Duration.ofSeconds(1);

  /**
   * How long a TXT update waits for the first announcement to finish (jmdns drops it otherwise).
   */
  static final Duration ANNOUNCE_WAIT = Duration.ofSeconds(6);

  /** How long one re-resolve of an announcement that arrived without TXT or address may take. */
  static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(1);

  /** Malformed announcements remembered so each is logged once; the memory is cleared past this. */
  static final int MAX_REPORTED_MALFORMED = 256;

  private record Responder(JmDNS jmdns, ServiceInfo info) {}

  private final PeerId self;
  private final String name;
  private final int port;
  private final String version;
  private final PeerTableImpl table;
  private final Executor worker;
  private final List<Responder> responders = new CopyOnWriteArrayList<>();
  private final Map<String, PeerId> services = new ConcurrentHashMap<>();
  private final Set<String> resolving = ConcurrentHashMap.newKeySet();
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  MdnsAgent(PeerId self, int port, String version, PeerTableImpl table, Executor worker) {
    this.self = self;
    this.name = "bamqp-" + self.shortForm().toLowerCase(Locale.ROOT); // never the owner's name
    this.port = port;
    this.version = version;
    this.table = table;
    this.worker = worker;
  }

  /** Opens a responder on each address, in the background. */
  void start(List<InetAddress> addresses, boolean sharing, double rateMbps) {
    Map<String, String> txt = ServiceTxt.encode(self, version, sharing, rateMbps);
    worker.execute(
        () -> {
          for (InetAddress address : addresses) {
            open(address, txt);
          }
        });
  }

  private void open(InetAddress address, Map<String, String> txt) {
    if (closing) {
      return;
    }
    try {
      JmDNS jmdns = JmDNS.create(address, name);
      ServiceInfo info = ServiceInfo.create(Discovery.SERVICE_TYPE, name, port, 0, 0, txt);
      responders.add(new Responder(jmdns, info));
      jmdns.addServiceListener(Discovery.SERVICE_TYPE, this);
      jmdns.registerService(info);
      LOG.log(Level.INFO, "mDNS: announcing {0} on {1}", name, address.getHostAddress());
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "mDNS: cannot announce on {0}: {1}", address.getHostAddress(), e);
    }
  }

  /** Sweeps expired records so goodbyes surface at once (see {@link #GOODBYE_SWEEP_INTERVAL}). */
  void sweep() {
    for (Responder responder : responders) {
      if (!closing && responder.jmdns() instanceof JmDNSImpl impl) {
        impl.cleanCache();
      }
    }
  }

  /** Re-announces TXT with new values, in the background, without a goodbye. */
  void update(boolean sharing, double rateMbps) {
    Map<String, String> txt = ServiceTxt.encode(self, version, sharing, rateMbps);
    worker.execute(
        () -> {
          for (Responder responder : responders) {
            if (responder.info() instanceof ServiceInfoImpl impl) {
              impl.waitForAnnounced(ANNOUNCE_WAIT.toMillis());
            }
            if (!closing) {
              responder.info().setText(txt);
            }
          }
        });
  }

  /** Sends goodbyes and closes every responder; blocks for a few seconds (on the worker). */
  void close() {
    closing = true;
    for (Responder responder : responders) {
      try {
        responder.jmdns().removeServiceListener(Discovery.SERVICE_TYPE, this);
        responder.jmdns().unregisterAllServices();
        responder.jmdns().close();
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "mDNS: closing {0}: {1}", name, e);
      }
    }
  }

  @Override
  public void serviceAdded(ServiceEvent event) {
    // jmdns resolves on its own and calls serviceResolved
  }

  @Override
  public void serviceResolved(ServiceEvent event) {
    try {
      resolved(event.getDNS(), event.getInfo());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "mDNS: ignoring service '" + event.getName() + "'", e);
    }
  }

  @Override
  public void serviceRemoved(ServiceEvent event) {
    try {
      PeerId id = services.remove(key(event.getName()));
      if (id != null && !closing) {
        table.saidGoodbye(id, event.getName());
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "mDNS: ignoring the removal of '" + event.getName() + "'", e);
    }
  }

  private void resolved(JmDNS jmdns, ServiceInfo info) {
    if (closing || info == null) {
      return;
    }
    Map<String, String> txt = properties(info);
    List<InetAddress> addresses = Arrays.asList(info.getInetAddresses());
    if (txt.isEmpty() || addresses.isEmpty()) {
      resolveAgain(jmdns, info.getName()); // jmdns's first resolve often lacks TXT
      return;
    }
    try {
      Sighting sighting = ServiceTxt.decode(info.getName(), txt, addresses, info.getPort());
      if (!sighting.id().equals(self)) {
        services.put(key(info.getName()), sighting.id());
        table.sighted(sighting);
      }
    } catch (ServiceTxt.Malformed e) {
      String what = info.getName() + " " + txt + " " + info.getPort();
      if (reported.size() >= MAX_REPORTED_MALFORMED) {
        reported.clear();
      }
      if (reported.add(what)) {
        LOG.log(
            Level.INFO,
            "mDNS: ignoring service ''{0}'' ({1}): {2}",
            info.getName(),
            addresses,
            e.getMessage());
      }
    }
  }

  private void resolveAgain(JmDNS jmdns, String service) {
    if (!resolving.add(key(service))) {
      return;
    }
    try {
      worker.execute(
          () -> {
            try {
              if (!closing) {
                jmdns.requestServiceInfo(
                    Discovery.SERVICE_TYPE, service, RESOLVE_TIMEOUT.toMillis());
              }
            } finally {
              resolving.remove(key(service));
            }
          });
    } catch (RejectedExecutionException e) {
      resolving.remove(key(service));
    }
  }

  private static Map<String, String> properties(ServiceInfo info) {
    Map<String, String> txt = new LinkedHashMap<>();
    Enumeration<String> names = info.getPropertyNames();
    while (names.hasMoreElements()) {
      String key = names.nextElement();
      txt.put(key, Objects.requireNonNullElse(info.getPropertyString(key), ""));
    }
    return txt;
  }

  private static String key(String service) {
    return service.toLowerCase(Locale.ROOT);
  }
}
