package io.bamqp.security;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The sockets this node listens on, so that no fetch is ever sent back into the node itself (a
 * request to its own proxy port would loop; to its own peer port would let a client speak the peer
 * protocol with the node's authority).
 *
 * <p>An address counts as this node's when it is loopback, the wildcard, or bound to one of the
 * machine's interfaces at the moment of the snapshot. The snapshot reads the interface list once:
 * take it at start-up, off the event loop.
 */
public final class OwnSockets {
  private final Set<Integer> ports;
  private final Set<InetAddress> addresses;

  private OwnSockets(Set<Integer> ports, Set<InetAddress> addresses) {
    this.ports = ports;
    this.addresses = addresses;
  }

  /** Snapshots the machine's addresses; {@code ports} are the node's listening ports. */
  public static OwnSockets snapshot(List<Integer> ports) {
    Set<InetAddress> addresses = new HashSet<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        addresses.addAll(Collections.list(nic.getInetAddresses()));
      }
    } catch (SocketException e) {
      // No interface list: loopback and the wildcard are still recognised below.
    }
    return new OwnSockets(Set.copyOf(ports), Set.copyOf(addresses));
  }

  /** The same addresses with another set of listening ports (known once the sockets are bound). */
  public OwnSockets withPorts(List<Integer> listeningPorts) {
    return new OwnSockets(Set.copyOf(listeningPorts), addresses);
  }

  /** Whether {@code port} is one this node listens on (on some address). */
  public boolean isOwnPort(int port) {
    return ports.contains(port);
  }

  /** Whether {@code address} is one of this machine's (on any port). */
  public boolean isOwnAddress(InetAddress address) {
    return address.isLoopbackAddress()
        || address.isAnyLocalAddress()
        || addresses.contains(address)
        || addresses.contains(unmapped(address));
  }

  /** Whether a connection to {@code address:port} would reach this node. */
  public boolean isOwn(InetAddress address, int port) {
    return ports.contains(port) && isOwnAddress(address);
  }

  private static InetAddress unmapped(InetAddress address) {
    byte[] bytes = Cidr.unmapIpv4(address.getAddress());
    try {
      return InetAddress.getByAddress(bytes);
    } catch (java.net.UnknownHostException e) {
      return address;
    }
  }
}
