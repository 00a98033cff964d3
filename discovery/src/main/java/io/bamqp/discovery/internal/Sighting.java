package io.bamqp.discovery.internal;

import io.bamqp.security.PeerId;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What one mDNS announcement claimed. Unauthenticated: anyone on the LAN can announce any ID.
 *
 * @param serviceName the announcing service instance, for log lines
 * @param id the ID from TXT {@code id}
 * @param addresses the announced addresses with the SRV port, never empty
 * @param sharing TXT {@code sharing}
 * @param rateMbps TXT {@code rate}
 */
record Sighting(
    String serviceName,
    PeerId id,
    List<InetSocketAddress> addresses,
    boolean sharing,
    double rateMbps) {
  Sighting {
    addresses = List.copyOf(addresses);
  }
}
