package io.bamqp.proxy.aggregation;

import io.bamqp.peer.HelperLink;
import io.bamqp.peer.HelperLinkOptions;
import io.bamqp.peer.JobOffer;
import io.bamqp.peer.RangeFetch;
import io.bamqp.planner.ByteRange;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A trusted neighbor reached over the peer protocol. */
final class LinkedNeighbor implements Neighbor {

  private final Vertx vertx;
  private final String id;
  private final HelperLinkOptions options;

  /**
   * One link per event loop: a link runs its exchanges on the context that created it, and a
   * session must see its streams on its own loop. Keyed by the loop, not the context: each request
   * runs on a fresh duplicate of its connection's context, so a context key would make a new link
   * (and connection pool) per download.
   */
  private final Map<EventExecutor, HelperLink> links = new ConcurrentHashMap<>();

  private final Neighbors registry;

  /**
   * Offers in flight and jobs accepted but not yet released: the downloads that still use this
   * neighbor's links. Guarded by {@code this}, with {@link #retired}: a lock held for a counter and
   * a map update only, so that a link is never closed under an offer that just picked it.
   */
  private int holds;

  private boolean retired;

  /** The share of the helper's job slots its last answer gave this home; -1 until one did. */
  private volatile int slots = -1;

  LinkedNeighbor(Vertx vertx, String id, HelperLinkOptions options, Neighbors registry) {
    this.vertx = vertx;
    this.id = id;
    this.options = options;
    this.registry = registry;
  }

  String id() {
    return id;
  }

  /** The link for the caller's event loop, held until {@link #unhold}. */
  private HelperLink hold() {
    ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
    synchronized (this) {
      holds++;
      return links.computeIfAbsent(
          context.nettyEventLoop(), loop -> HelperLink.create(vertx, options));
    }
  }

  /** Lets go of a hold; the last one of a retired neighbor closes its links. */
  private void unhold() {
    List<HelperLink> closing;
    synchronized (this) {
      if (--holds > 0 || !retired) {
        return;
      }
      closing = takeLinks();
    }
    closing.forEach(HelperLink::close);
  }

  /** Removes every link from the map, for closing outside the lock. Caller holds {@code this}. */
  private List<HelperLink> takeLinks() {
    List<HelperLink> taken = List.copyOf(links.values());
    links.clear();
    return taken;
  }

  @Override
  public String name() {
    return Neighbors.PEER_PREFIX + id;
  }

  @Override
  public Future<Joined> offer(
      String jobId, Eligibility.Download download, String url, long expectedMillis) {
    String why = registry.quarantined().get(id);
    if (why != null) {
      return Future.failedFuture(name() + " is quarantined: " + why);
    }
    long sent = System.nanoTime();
    HelperLink link = hold();
    // The job's size is the representation's: every range fetch names the same total.
    return link.offer(new JobOffer(jobId, download.totalBytes(), expectedMillis))
        .<Joined>compose(
            answer -> {
              if (answer.slots() != null) {
                slots = answer.slots();
              }
              if (!answer.accepted()) {
                String declined = name() + " declined: " + answer.reason();
                if (answer.queuePosition() != null) {
                  long retry = answer.retryAfterMillis() == null ? 0 : answer.retryAfterMillis();
                  return Future.failedFuture(
                      new NeighborBusy(declined, retry, answer.queuePosition()));
                }
                if (answer.reason().startsWith("busy")) {
                  return Future.failedFuture(
                      new NeighborBusy(declined, NeighborBusy.OLDER_HELPER_RETRY_MILLIS, 0));
                }
                return Future.failedFuture(declined);
              }
              ByteSource source = new HelperSource(link, jobId, download, url);
              return Future.succeededFuture(
                  new Joined(
                      source,
                      answer.rateBytesPerSec(),
                      System.nanoTime() - sent,
                      () ->
                          link.release(jobId)
                              .onComplete(
                                  released -> {
                                    unhold();
                                    registry.jobReleased(id);
                                  })));
            })
        .onFailure(notJoined -> unhold());
  }

  @Override
  public int slots() {
    return slots;
  }

  @Override
  public void delivered(long bytes) {
    registry.delivered(id, bytes);
  }

  @Override
  public long cleanBytes() {
    return registry.cleanBytes(id);
  }

  @Override
  public void verifiedClean(long bytes) {
    registry.verifiedClean(id, bytes);
  }

  @Override
  public void misbehaved(String reason) {
    registry.quarantine(id, reason);
  }

  /**
   * The neighbor left the usable set: its links close once the downloads using it have released
   * their jobs and no offer to it is in flight, so a download is never cut off by a reload or
   * discovery, and a download that took this neighbor into its team just before never offers over a
   * closed link.
   */
  void retire() {
    List<HelperLink> closing;
    synchronized (this) {
      retired = true;
      if (holds > 0) {
        return;
      }
      closing = takeLinks();
    }
    closing.forEach(HelperLink::close);
  }

  /** Closes every link now, whoever still holds it: the node is stopping. */
  Future<Void> close() {
    List<HelperLink> closing;
    synchronized (this) {
      closing = takeLinks();
    }
    return Future.join(closing.stream().map(HelperLink::close).toList()).mapEmpty();
  }

  /** The neighbor's line for one job. */
  private final class HelperSource implements ByteSource {
    private final String jobId;
    private final Eligibility.Download download;
    private final String url;
    private final HelperLink link;

    HelperSource(HelperLink link, String jobId, Eligibility.Download download, String url) {
      this.link = link;
      this.jobId = jobId;
      this.download = download;
      this.url = url;
    }

    @Override
    public String name() {
      return LinkedNeighbor.this.name();
    }

    @Override
    public Future<Flow> open(ByteRange range) {
      RangeFetch fetch =
          new RangeFetch(
              url,
              range.first(),
              range.last(),
              download.totalBytes(),
              download.etag(),
              download.etag() == null ? download.lastModified() : null);
      return link.fetch(jobId, fetch).map(StreamFlow::of);
    }
  }
}
