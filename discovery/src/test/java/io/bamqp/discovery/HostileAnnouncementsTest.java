package io.bamqp.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.PeerId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** mDNS is unauthenticated: what a spoofer or a broken neighbor announces must not hurt. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileAnnouncementsTest {
  private final LocalNodes nodes = new LocalNodes();
  private final FakeProbe probe = new FakeProbe();
  private ForeignAnnouncer foreign;

  @AfterEach
  void close() throws Exception {
    CompletableFuture<Void> foreignGone =
        foreign == null
            ? CompletableFuture.completedFuture(null)
            : CompletableFuture.runAsync(
                () -> {
                  try {
                    foreign.close();
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
    nodes.close();
    foreignGone.get(Discovery.CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void aSpoofedAnnouncementAddsAnAddressButNeverErasesTheOneThatWorks() throws Exception {
    PeerId home = TestIds.random();
    PeerId friend = TestIds.random();
    InetSocketAddress real = new InetSocketAddress(LocalNodes.LOOPBACK, nodes.port(1));
    InetSocketAddress spoofed = new InetSocketAddress(LocalNodes.LOOPBACK, nodes.port(2));
    probe.answerOnlyAt(friend, real);
    Discovery homeNode = nodes.start(home, nodes.port(0), Set.of(friend), probe);
    nodes.start(friend, nodes.port(1), Set.of(), probe);
    TableWatch watch = new TableWatch(homeNode.table());
    watch.awaitPeer(friend, "online", e -> e.state() == PeerState.ONLINE);

    foreign = new ForeignAnnouncer("spoofer-" + nodes.port(2));
    foreign.announce("spoofer", spoofed.getPort(), txt(friend));
    PeerEntry both = watch.awaitPeer(friend, "with both", e -> e.addresses().contains(spoofed));

    assertThat(both.address()).as("the working address stays first").isEqualTo(real);
    assertThat(both.addresses()).containsExactly(real, spoofed);
    assertThat(both.state()).isEqualTo(PeerState.ONLINE);

    // The friend really moves: the old address stops answering, the other one proves itself.
    probe.answerOnlyAt(friend, spoofed);
    PeerEntry moved = watch.awaitPeer(friend, "moved", e -> e.address().equals(spoofed));
    assertThat(moved.state()).isEqualTo(PeerState.ONLINE);
    assertThat(moved.failures()).isZero();
  }

  @Test
  void malformedAnnouncementsAreIgnoredWithOneLogLineEach() throws Exception {
    String tag = Integer.toString(nodes.port(0));
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> fourLines = new CompletableFuture<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            Object[] parameters = record.getParameters();
            lines.add(
                MessageFormat.format(
                    record.getMessage(), parameters == null ? new Object[0] : parameters));
            if (lines.stream()
                    .filter(l -> l.contains("ignoring service") && l.contains(tag))
                    .count()
                >= 4) {
              fourLines.complete(null);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger logger = Logger.getLogger("io.bamqp.discovery");
    logger.addHandler(handler);
    try {
      PeerId home = TestIds.random();
      PeerId portless = TestIds.random();
      PeerId good = TestIds.random();
      Discovery homeNode = nodes.start(home, nodes.port(0), Set.of(), probe);
      TableWatch watch = new TableWatch(homeNode.table());
      foreign = new ForeignAnnouncer("broken-" + tag);
      foreign
          .announce("no-id-" + tag, nodes.port(1), Map.of("v", "1", "sharing", "on"))
          .announce("bad-id-" + tag, nodes.port(2), Map.of("id", "router-2", "v", "1"))
          .announce("bad-sharing-" + tag, nodes.port(3), txt(good, "sharing", "maybe"))
          .announce("bad-port-" + tag, 0, txt(portless))
          .announce("good-" + tag, nodes.port(4), txt(good));

      watch.awaitPeer(good, "listed", e -> e.address().getPort() == nodes.port(4));
      fourLines.get(TableWatch.DEADLINE.toSeconds(), TimeUnit.SECONDS);

      for (String broken : List.of("no-id-", "bad-id-", "bad-sharing-", "bad-port-")) {
        assertThat(lines.stream().filter(l -> l.contains("'" + broken + tag + "'")))
            .as(broken)
            .hasSize(1);
      }
      assertThat(lines).anyMatch(l -> l.contains("no 'id' in its TXT record"));
      assertThat(lines).anyMatch(l -> l.contains("router-2"));
      assertThat(homeNode.table().get(portless)).isEmpty();
      assertThat(homeNode.table().get(good).orElseThrow().addresses())
          .extracting(InetSocketAddress::getPort)
          .containsExactly(nodes.port(4));
    } finally {
      logger.removeHandler(handler);
    }
  }

  private static Map<String, String> txt(PeerId id, String... more) {
    Map<String, String> txt =
        new HashMap<>(Map.of("id", id.toString(), "v", "1", "sharing", "on", "rate", "10"));
    for (int i = 0; i + 1 < more.length; i += 2) {
      txt.put(more[i], more[i + 1]);
    }
    return txt;
  }
}
