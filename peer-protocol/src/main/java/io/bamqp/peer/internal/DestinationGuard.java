package io.bamqp.peer.internal;

import io.bamqp.peer.DnsWorkers;
import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.security.Destination;
import io.bamqp.security.DestinationPolicy;
import io.bamqp.security.DestinationRefused;
import io.bamqp.security.RefusalLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

/**
 * Vets a URL with the owner's {@link DestinationPolicy} in the node's lookup pool ({@link
 * DnsWorkers}: the policy resolves names, which blocks). The helper's peer listener registers its
 * port in the policy's {@link io.bamqp.security.OwnSockets} once bound, like every other listener
 * of the node; until then every URL is refused. A refusal reaches the neighbor as {@code
 * DESTINATION_REFUSED} with a fixed detail; the rule and the addresses go to this node's log.
 */
final class DestinationGuard {
  private static final RefusalLog REFUSALS = new RefusalLog("io.bamqp.peer");

  private final WorkerExecutor dns;
  private final DestinationPolicy policy;
  private volatile boolean bound;

  /** A guard for a listener not bound yet; {@link #listeningOn} completes it. */
  DestinationGuard(Vertx vertx, DestinationPolicy policy) {
    this.dns = DnsWorkers.open(vertx);
    this.policy = policy;
  }

  /** Records the peer listener's bound port among the node's own sockets. */
  void listeningOn(int port) {
    policy.ownSockets().listening(port);
    bound = true;
  }

  /** Where to connect for {@code url}; fails with {@code DESTINATION_REFUSED}. */
  Future<Destination> vet(String url) {
    return dns.executeBlocking(() -> check(url), false)
        .recover(
            cause -> {
              if (!(cause instanceof DestinationRefused)) {
                return Future.failedFuture(cause);
              }
              REFUSALS.refused("a neighbor's fetch: " + cause.getMessage());
              return Future.failedFuture(
                  new PeerException(PeerErrorCode.DESTINATION_REFUSED, cause.getMessage()));
            });
  }

  private Destination check(String url) throws DestinationRefused {
    if (!bound) {
      throw new DestinationRefused("the helper's peer listener is not bound yet");
    }
    return policy.vet("GET", url);
  }

  /** Lets go of the lookup pool. */
  Future<Void> close() {
    return dns.close();
  }
}
