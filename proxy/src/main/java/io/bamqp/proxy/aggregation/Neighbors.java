package io.bamqp.proxy.aggregation;

import io.bamqp.peer.HelperLinkOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The neighbors a new download may use, kept current as the config is reloaded and discovery finds
 * peers come and go. A download takes the set as it is when it starts; later changes apply to the
 * next one, so downloads in flight are never dropped by a change.
 *
 * <p>Thread-safe: updates come from the config watcher and discovery threads, reads from the event
 * loops.
 */
public final class Neighbors {
  /** How reports and the statistics page name a neighbor as a source: {@code peer:ID}. */
  public static final String PEER_PREFIX = "peer:";

  private static final System.Logger LOG = System.getLogger("io.bamqp.neighbors");

  /** How to reach a neighbor's peer listener; {@code links} builds the options for it. */
  public record Address(String host, int port) {}

  /** Builds the link options to a neighbor (identity, pinned peer ID, address). */
  public interface Links {
    HelperLinkOptions to(String id, Address address);
  }

  private final Vertx vertx;
  private final Links links;
  private final Map<String, Address> addresses = new LinkedHashMap<>();
  private final Map<String, LinkedNeighbor> byId = new LinkedHashMap<>();
  private final Map<String, String> quarantined = new ConcurrentHashMap<>();
  private final Map<String, Long> cleanBytes = new ConcurrentHashMap<>();
  private final List<BiConsumer<String, String>> quarantineListeners = new CopyOnWriteArrayList<>();
  private volatile BiConsumer<String, Long> deliveries = (id, bytes) -> {};
  private volatile BiConsumer<String, Long> rates = (id, bytesPerSecond) -> {};
  private volatile List<Neighbor> usable = List.of();
  private final List<Consumer<String>> releaseListeners = new CopyOnWriteArrayList<>();

  public Neighbors(Vertx vertx, Links links) {
    this.vertx = vertx;
    this.links = links;
  }

  /**
   * Replaces the usable neighbors: peer ID → address. Links to neighbors that left or moved are
   * closed once the downloads in flight have released their jobs with them.
   */
  public synchronized Future<Void> update(Map<String, Address> neighbors) {
    for (var it = byId.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      if (!Objects.equals(neighbors.get(entry.getKey()), addresses.get(entry.getKey()))) {
        entry.getValue().retire();
        it.remove();
      }
    }
    addresses.clear();
    addresses.putAll(neighbors);
    neighbors.forEach(
        (id, address) ->
            byId.computeIfAbsent(
                id, peer -> new LinkedNeighbor(vertx, peer, links.to(peer, address), this)));
    publish();
    return Future.succeededFuture();
  }

  /** The neighbors a download starting now may offer its job to. */
  public List<Neighbor> usable() {
    return usable;
  }

  /** Peer ID → why it gets no work, for neighbors caught sending wrong bytes. */
  public Map<String, String> quarantined() {
    return Map.copyOf(quarantined);
  }

  /** Called with (peer ID, reason) when a neighbor is quarantined. */
  public void onQuarantine(BiConsumer<String, String> listener) {
    quarantineListeners.add(listener);
  }

  /** Called with (peer ID, bytes) as neighbors deliver checked bytes to downloads. */
  public void onDelivered(BiConsumer<String, Long> listener) {
    deliveries = listener;
  }

  /**
   * Called with the neighbor's name ({@code peer:ID}) each time one of its jobs is released (the
   * helper answered, or the release failed): the slot is free on the helper's side.
   */
  void onJobReleased(Consumer<String> listener) {
    releaseListeners.add(listener);
  }

  void jobReleased(String id) {
    String name = PEER_PREFIX + id;
    releaseListeners.forEach(listener -> listener.accept(name));
  }

  void delivered(String id, long bytes) {
    deliveries.accept(id, bytes);
  }

  /**
   * Called with (peer ID, bytes per second) after each download a neighbor took part in: what it
   * delivered over the download's duration, a floor of its rate (it may have joined late).
   */
  public void onMeasured(BiConsumer<String, Long> listener) {
    rates = listener;
  }

  void measured(SessionReport report) {
    long nanos = Math.max(1, report.nanos());
    report
        .bytesBySource()
        .forEach(
            (source, bytes) -> {
              if (source.startsWith(PEER_PREFIX)) {
                rates.accept(source.substring(PEER_PREFIX.length()), (long) (bytes * 1e9 / nanos));
              }
            });
  }

  /**
   * Bytes of the neighbor verified clean by spot checks in downloads that completed, in this node's
   * life: its history, which shrinks its probation in later downloads ({@link SamplePlan}).
   */
  long cleanBytes(String id) {
    return cleanBytes.getOrDefault(id, 0L);
  }

  void verifiedClean(String id, long bytes) {
    cleanBytes.merge(id, bytes, Long::sum);
  }

  void quarantine(String id, String reason) {
    if (quarantined.putIfAbsent(id, reason) == null) {
      // Once per neighbor: every bad range of a download reports it, the log says it once.
      LOG.log(System.Logger.Level.WARNING, "neighbor {0} quarantined: {1}", id, reason);
      synchronized (this) {
        publish();
      }
      quarantineListeners.forEach(listener -> listener.accept(id, reason));
    }
  }

  private void publish() {
    usable =
        byId.values().stream()
            .filter(neighbor -> !quarantined.containsKey(neighbor.id()))
            .map(Neighbor.class::cast)
            .toList();
  }

  /** Closes every link. */
  public synchronized Future<Void> close() {
    List<Future<Void>> closing = byId.values().stream().map(LinkedNeighbor::close).toList();
    byId.clear();
    usable = List.of();
    return Future.join(closing).mapEmpty();
  }
}
