package io.bamqp.it;

import io.bamqp.discovery.Discovery;
import io.bamqp.discovery.DiscoveryOptions;
import io.bamqp.discovery.PeerEvent;
import io.bamqp.security.PeerId;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A child process for {@link NamespaceIsolationIT}: runs one discovery node per given ID on one
 * address (trusting nobody, so it sends nothing but mDNS) and prints {@code SEES <self> <peer>} for
 * every peer that appears. Exits when its stdin closes, or after its lifetime as a backstop.
 *
 * <p>Usage: {@code NamespaceNode <address> <lifetime seconds> <peer ID>...}
 */
public final class NamespaceNode {
  private NamespaceNode() {}

  public static void main(String[] args) throws IOException {
    InetAddress address = InetAddress.getByName(args[0]);
    long lifetimeMillis = Long.parseLong(args[1]) * 1000;
    CompletableFuture.delayedExecutor(lifetimeMillis, TimeUnit.MILLISECONDS)
        .execute(() -> System.exit(3)); // the child's hard deadline
    List<Discovery> nodes = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      PeerId self = PeerId.parse(args[i]);
      Discovery node =
          Discovery.start(
              new DiscoveryOptions()
                  .setSelf(self)
                  .setAdvertisedAddresses(List.of(address))
                  .setSharing(true),
              (id, at) -> CompletableFuture.failedFuture(new IOException("not used")));
      node.table()
          .addListener(
              event -> {
                if (event.kind() == PeerEvent.Kind.ADDED) {
                  System.out.println("SEES " + self + " " + event.peer().id());
                  System.out.flush();
                }
              });
      nodes.add(node);
    }
    System.out.println("STARTED");
    System.out.flush();
    while (System.in.read() >= 0) {
      // runs until the parent closes stdin
    }
    nodes.forEach(Discovery::closeAsync);
    nodes.forEach(Discovery::close);
  }
}
