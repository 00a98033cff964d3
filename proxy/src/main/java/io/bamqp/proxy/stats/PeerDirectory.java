package io.bamqp.proxy.stats;

import java.util.List;

/**
 * Where the statistics page learns about neighbors. The node plugs the peer table (discovery) and
 * the byte ledger in here; without them the page shows the config's static and trusted peers with
 * what this node's own downloads observed of them.
 *
 * <p>Called on the statistics server's event loop, about once a second per open page: it must
 * answer from memory, never block.
 */
@FunctionalInterface
public interface PeerDirectory {

  /** Every neighbor worth showing, in display order. */
  List<PeerView> peers();
}
