package io.bamqp.discovery;

import io.bamqp.security.InterfaceAddresses;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where this node announces itself: the LAN side of the machine, never the WAN side, because an
 * mDNS announcement there would tell the ISP's network about the node. The result goes to {@link
 * DiscoveryOptions#setAdvertisedAddresses}.
 */
public final class LanAddresses {
  private static final System.Logger LOG = System.getLogger("io.bamqp.discovery");

  private LanAddresses() {}

  /**
   * The addresses the owner {@code configured}, or, if none, every private IPv4 address of an up,
   * non-loopback interface of this machine other than {@code wanBindAddress}. Blocking (lists the
   * interfaces). A failure is logged and the addresses found until then are returned: an empty list
   * means there is nowhere to announce.
   *
   * @param configured numeric IP addresses ({@code discovery.advertiseAddresses}), taken as they
   *     are and in order; a name would be resolved, so the caller checks they are numeric
   * @param wanBindAddress {@code wan.bindAddress}, the source address of WAN connections
   */
  public static List<InetAddress> choose(List<String> configured, String wanBindAddress) {
    if (!configured.isEmpty()) {
      return parse(configured);
    }
    return lanSide(upAddresses(), wanBindAddress);
  }

  /** The private IPv4 addresses among {@code candidates}, minus {@code wanBindAddress}. */
  static List<InetAddress> lanSide(List<InetAddress> candidates, String wanBindAddress) {
    List<InetAddress> chosen = new ArrayList<>();
    for (InetAddress address : candidates) {
      if (address.getAddress().length == 4
          && address.isSiteLocalAddress()
          && !address.getHostAddress().equals(wanBindAddress)) {
        chosen.add(address);
      }
    }
    return chosen;
  }

  private static List<InetAddress> parse(List<String> configured) {
    List<InetAddress> parsed = new ArrayList<>();
    try {
      for (String text : configured) {
        parsed.add(InetAddress.getByName(text));
      }
    } catch (UnknownHostException e) {
      cannotList(e);
    }
    return parsed;
  }

  /** Every address of the up, non-loopback interfaces, in the order the system lists them. */
  private static List<InetAddress> upAddresses() {
    try {
      return InterfaceAddresses.upNonLoopback();
    } catch (SocketException e) {
      cannotList(e);
      return List.of();
    }
  }

  private static void cannotList(Exception e) {
    LOG.log(Level.WARNING, "cannot list this machine''s addresses: {0}", e.getMessage());
  }
}
