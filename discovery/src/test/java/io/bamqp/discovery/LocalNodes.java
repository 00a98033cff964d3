package io.bamqp.discovery;

import io.bamqp.security.PeerId;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** Discovery nodes announcing on 127.0.0.1, closed together (goodbyes in parallel). */
final class LocalNodes implements AutoCloseable {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final List<Discovery> started = new ArrayList<>();
  private final int basePort = ThreadLocalRandom.current().nextInt(20_000, 60_000);

  /** A port unlikely to clash with another run's nodes (nothing listens on it). */
  int port(int index) {
    return basePort + index;
  }

  Discovery start(DiscoveryOptions options, LivenessProbe probe) {
    Discovery node = Discovery.start(options, probe);
    started.add(node);
    return node;
  }

  /** A node with mDNS on 127.0.0.1, trusting {@code trusted}. */
  Discovery start(PeerId self, int port, Set<PeerId> trusted, LivenessProbe probe) {
    return start(
        new DiscoveryOptions()
            .setSelf(self)
            .setPort(port)
            .setAdvertisedAddresses(List.of(LOOPBACK))
            .setSharing(true)
            .setTrusted(trusted),
        probe);
  }

  @Override
  public void close() throws Exception {
    CompletableFuture.allOf(
            started.stream()
                .map(node -> node.closeAsync().toCompletableFuture())
                .toArray(CompletableFuture[]::new))
        .get(Discovery.CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }
}
