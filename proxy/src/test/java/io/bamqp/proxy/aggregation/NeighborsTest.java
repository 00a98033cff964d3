package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.peer.HelperLinkOptions;
import io.bamqp.planner.ByteRange;
import io.bamqp.security.Identity;
import io.bamqp.testbed.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import java.time.Duration;
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

  @Test
  void aNeighborRetiredWhileAnOfferIsInFlightKeepsItsLinkUntilTheOfferEnds() throws Exception {
    // A listener that accepts the connection and never answers: the offer stays in flight.
    NetServer silent = vertx.createNetServer().connectHandler(socket -> {});
    int port = Await.result(silent.listen(0, "127.0.0.1")).actualPort();
    neighbors.update(Map.of("A", new Neighbors.Address("127.0.0.1", port)));
    Neighbor taken = neighbors.usable().get(0);
    Eligibility.Download download =
        new Eligibility.Download(new ByteRange(0, 99), 100, "\"v1\"", null, false);

    Future<Neighbor.Joined> offer = taken.offer("job-1", download, "http://origin/f", 1_000);
    neighbors.update(Map.of()); // discovery says A left while the offer is on the wire

    // Closing the link now would fail the offer at once ("Pool closed"): the absence is the point.
    await("the offer stays in flight after the retirement")
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !offer.isComplete());
    Await.result(silent.close());
    await("the offer ends once A's listener goes away")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(offer::isComplete);
    assertThat(offer.failed()).isTrue();
  }
}
