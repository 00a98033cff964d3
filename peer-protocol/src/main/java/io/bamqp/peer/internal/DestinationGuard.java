package io.bamqp.peer.internal;

import io.bamqp.peer.DnsWorkers;
import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.security.Destination;
import io.bamqp.security.DestinationPolicy;
import io.bamqp.security.DestinationRefused;
import io.bamqp.security.OwnSockets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.List;

/**
 * Vets a URL with the owner's {@link DestinationPolicy} in the node's lookup pool ({@link
 * DnsWorkers}: the policy resolves names, which blocks), and refuses on top of it the helper's own
 * peer listener: its port is known only once bound, and a fetch into it would let a home speak the
 * protocol with this node's authority.
 */
final class DestinationGuard {
  private final WorkerExecutor dns;
  private final DestinationPolicy policy;
  private volatile OwnSockets peerListener;
  private volatile boolean bound;

  /** A guard for a listener not bound yet; {@link #listeningOn} completes it. */
  DestinationGuard(Vertx vertx, DestinationPolicy policy, OwnSockets machine) {
    this.dns = DnsWorkers.open(vertx);
    this.policy = policy;
    this.peerListener = machine.withPorts(List.of());
  }

  /** Records the peer listener's bound port. */
  void listeningOn(int port) {
    peerListener = peerListener.withPorts(List.of(port));
    bound = true;
  }

  /** Where to connect for {@code url}; fails with {@code DESTINATION_REFUSED} naming the rule. */
  Future<Destination> vet(String url) {
    return dns.executeBlocking(() -> check(url), false)
        .recover(
            cause ->
                Future.failedFuture(
                    cause instanceof DestinationRefused
                        ? new PeerException(PeerErrorCode.DESTINATION_REFUSED, cause.getMessage())
                        : cause));
  }

  private Destination check(String url) throws DestinationRefused {
    if (!bound) {
      throw new DestinationRefused("the helper's peer listener is not bound yet");
    }
    Destination destination = policy.vet("GET", url);
    if (peerListener.isOwn(destination.address(), destination.port())) {
      throw new DestinationRefused(
          destination.address().getHostAddress()
              + ":"
              + destination.port()
              + " is this helper's own peer listener");
    }
    return destination;
  }

  /** Lets go of the lookup pool. */
  Future<Void> close() {
    return dns.close();
  }
}
