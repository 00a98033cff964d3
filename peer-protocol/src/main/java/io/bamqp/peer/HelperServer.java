package io.bamqp.peer;

import io.bamqp.peer.internal.HelperVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The helper side of the protocol: a peer listener that accepts jobs within its owner's limits and
 * fetches the ranges homes ask for from the origin, over this node's own line.
 *
 * <p>For each range it vets the URL with the {@link HelperOptions#destinationPolicy()} (off the
 * event loop), connects to the checked address only, sends {@code Range} and {@code If-Range}, and
 * checks the origin's 206 (status, {@code Content-Range}, validator, coding) before the first byte
 * goes home. A refusal is an error answer, never bytes. A body that fails or stalls mid-way resets
 * the home's connection, so a truncated range never looks complete; a home that goes away resets
 * the origin request at once. All jobs share one token bucket of {@link
 * HelperOptions#maxRateMbps()}. It also refuses, whatever the policy says, URLs that point at its
 * own peer listener.
 *
 * <p>The helper runs in a verticle of its own: its jobs, bucket and connections live on one event
 * loop whoever starts it.
 */
public interface HelperServer {

  /** Deploys a helper and answers it once it listens. */
  static Future<HelperServer> start(Vertx vertx, HelperOptions options) {
    return HelperVerticle.deploy(vertx, options);
  }

  /** The port the peer listener is bound to. */
  int port();

  /** Stops listening, drops every job and closes every connection, home and origin. */
  Future<Void> close();
}
