package io.bamqp.security;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The addresses of this machine's network interfaces, read from {@link NetworkInterface}: the one
 * place that lists them, for what the node counts as its own ({@link OwnSockets}) and where it
 * announces itself (discovery). Every call reads the list anew and blocks: call it off the event
 * loop.
 */
public final class InterfaceAddresses {
  private InterfaceAddresses() {}

  /** Every address of every interface, up or down, loopback included. */
  public static List<InetAddress> all() throws SocketException {
    return read(false);
  }

  /**
   * The addresses of the interfaces that are up and not loopback, in the order the system lists.
   */
  public static List<InetAddress> upNonLoopback() throws SocketException {
    return read(true);
  }

  private static List<InetAddress> read(boolean upNonLoopbackOnly) throws SocketException {
    List<InetAddress> addresses = new ArrayList<>();
    var interfaces = NetworkInterface.getNetworkInterfaces();
    if (interfaces == null) {
      return addresses;
    }
    for (NetworkInterface nic : Collections.list(interfaces)) {
      if (!upNonLoopbackOnly || (nic.isUp() && !nic.isLoopback())) {
        addresses.addAll(Collections.list(nic.getInetAddresses()));
      }
    }
    return addresses;
  }
}
