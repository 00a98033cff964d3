package io.bamqp.peer;

import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

/**
 * The node's own worker pool for name lookups. Resolving blocks (for seconds when a resolver is
 * slow or a name does not exist), so it runs off the event loops; and it runs here rather than in
 * Vert.x's shared worker pool, where the ledger, the history and key files are written, so that a
 * burst of slow lookups cannot hold those up. The proxy's and the helper's lookups share this one
 * pool: each takes its own reference with {@link #open} and closes it when it stops; the pool ends
 * with the last reference.
 */
public final class DnsWorkers {
  /** The pool's name, as thread dumps show it. */
  public static final String NAME = "bamqp-dns";

  /** Lookups in flight at once; more wait their turn. */
  public static final int THREADS = 8;

  private DnsWorkers() {}

  /** A reference to the node's lookup pool on {@code vertx}; close it when done. */
  public static WorkerExecutor open(Vertx vertx) {
    return vertx.createSharedWorkerExecutor(NAME, THREADS);
  }
}
