package io.bamqp.proxy.forward.internal;

import java.net.InetAddress;

/**
 * A request target with the one address it was resolved to and checked against: the proxy connects
 * there and nowhere else.
 *
 * @param ownSocket whether the address and port are one of this node's own listening sockets
 */
record PinnedTarget(RequestTarget target, InetAddress address, boolean ownSocket) {}
