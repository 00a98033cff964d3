package io.bamqp.proxy.forward.internal;

import java.net.InetAddress;

/**
 * A request target with the one address it was resolved to and checked against: the proxy connects
 * there and nowhere else.
 *
 * @param ownSocket whether the address and port are one of this node's own listening sockets
 * @param fetch whether the target is the URL of a {@code /fetch?url=} request, which the proxy
 *     fetches as its own client (following redirects, naming the file)
 */
record PinnedTarget(RequestTarget target, InetAddress address, boolean ownSocket, boolean fetch) {
  PinnedTarget(RequestTarget target, InetAddress address, boolean ownSocket) {
    this(target, address, ownSocket, false);
  }

  /** The same target, fetched for {@code /fetch}. */
  PinnedTarget forFetch() {
    return new PinnedTarget(target, address, ownSocket, true);
  }
}
