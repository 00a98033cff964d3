package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.peer.HelperLinkOptions;
import io.bamqp.security.Identity;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NeighborsTest {
  private static final Identity HOME = Identity.generate();
  private static final Identity HELPER = Identity.generate();

  private final Vertx vertx = Vertx.vertx();
  private final List<String> linked = new ArrayList<>();
  private final Neighbors neighbors =
      new Neighbors(
          vertx,
          (id, address) -> {
            linked.add(id + "@" + address.port());
            return HelperLinkOptions.builder(address.host(), address.port(), HOME, HELPER.id())
                .build();
          });

  @AfterEach
  void stop() {
    neighbors.close();
    vertx.close();
  }

  private List<String> usableNames() {
    return neighbors.usable().stream().map(Neighbor::name).toList();
  }

  @Test
  void anUpdateReplacesTheUsableSetAndKeepsLinksToNeighborsThatStayed() {
    neighbors.update(
        Map.of("A", new Neighbors.Address("127.0.0.1", 1), "B", new Neighbors.Address("h", 2)));
    neighbors.update(
        Map.of("A", new Neighbors.Address("127.0.0.1", 1), "C", new Neighbors.Address("h", 3)));

    assertThat(usableNames()).containsExactlyInAnyOrder("peer:A", "peer:C");
    assertThat(linked).containsExactlyInAnyOrder("A@1", "B@2", "C@3");
  }

  @Test
  void aNeighborThatMovesGetsANewLink() {
    neighbors.update(Map.of("A", new Neighbors.Address("127.0.0.1", 1)));
    neighbors.update(Map.of("A", new Neighbors.Address("127.0.0.1", 9)));

    assertThat(linked).containsExactly("A@1", "A@9");
    assertThat(usableNames()).containsExactly("peer:A");
  }

  @Test
  void aQuarantinedNeighborGetsNoMoreWorkEvenAfterAnUpdate() {
    List<String> heard = new ArrayList<>();
    neighbors.onQuarantine((id, reason) -> heard.add(id + ": " + reason));
    neighbors.update(
        Map.of("A", new Neighbors.Address("127.0.0.1", 1), "B", new Neighbors.Address("h", 2)));

    neighbors.usable().stream()
        .filter(n -> n.name().equals("peer:A"))
        .forEach(n -> n.misbehaved("bad chunk signature"));
    neighbors.update(
        Map.of("A", new Neighbors.Address("127.0.0.1", 1), "B", new Neighbors.Address("h", 2)));

    assertThat(usableNames()).containsExactly("peer:B");
    assertThat(neighbors.quarantined()).containsEntry("A", "bad chunk signature");
    assertThat(heard).containsExactly("A: bad chunk signature");
  }
}
