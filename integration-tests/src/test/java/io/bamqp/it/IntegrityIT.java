package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.bamqp.peer.RogueHelper;
import io.bamqp.proxy.demo.LoopbackRouter;
import io.bamqp.proxy.node.Node;
import io.bamqp.security.Identity;
import io.bamqp.security.TrustedPeers;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.Line;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trusted neighbor that alters one byte in every MiB it serves, each chunk validly signed,
 * against a real home, an honest helper and curl: the spot checks (the honest helper checking the
 * liar) catch it before the download completes, and the client never gets a completed response with
 * an altered byte: it is repaired and byte-exact, or cut short.
 */
class IntegrityIT {
  private static final long FILE = 64 * Content.MIB;
  private static final String HOME = "127.0.0.11";
  private static final String HONEST = "127.0.0.12";

  private final Vertx vertx = Vertx.vertx();
  private TestOrigin origin;
  private RogueHelper liar;
  private Node honest;
  private Node home;
  @TempDir Path downloads;

  @AfterEach
  void stop() throws Exception {
    if (home != null) {
      Await.result(home.close());
    }
    if (honest != null) {
      Await.result(honest.close());
    }
    if (liar != null) {
      Await.result(liar.close());
    }
    Await.result(vertx.close());
  }

  @Test
  void aNeighborAlteringOneBytePerMibIsCaughtQuarantinedAndNeverCompletesADownload()
      throws Exception {
    origin =
        Await.result(
            TestOrigin.builder()
                .line(HOME, Line.ofMbps(80))
                .line(HONEST, Line.ofMbps(80))
                .build()
                .start(vertx));
    LoopbackRouter homeRouter = LoopbackRouter.of(HOME, 80);
    liar =
        Await.result(
                RogueHelper.start(
                    vertx,
                    Identity.generate(),
                    TrustedPeers.of(List.of(homeRouter.id())),
                    Content.ofSize(FILE)))
            .misbehave(RogueHelper.Fault.TAMPER_SIGNED, RogueHelper.ONE_BYTE_PER_MIB);
    LoopbackRouter honestRouter =
        LoopbackRouter.builder(HONEST, 80).trusted(List.of(homeRouter.id())).build();
    honest = Await.result(Node.start(vertx, honestRouter.config()));
    Map<String, Integer> peers = new TreeMap<>();
    peers.put(honestRouter.id().toString(), honest.peerPort());
    peers.put(liar.id().toString(), liar.port());
    home =
        Await.result(
            Node.start(
                vertx,
                homeRouter.toBuilder()
                    .peers(peers)
                    .aggregation("spotCheckRatio: 1")
                    .build()
                    .config()));
    Path file = downloads.resolve("file.bin");

    Clients.Outcome outcome = curl(file);

    String liarId = liar.id().toString();
    if (outcome.exitCode() == 0) {
      assertThat(Clients.sha256(file)).as("repaired").isEqualTo(Content.ofSize(FILE).sha256Hex());
    } else {
      assertThat(Files.exists(file) ? Files.size(file) : 0)
          .as("cut short: " + outcome.output())
          .isLessThan(FILE);
    }
    await("the liar is quarantined")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> home.quarantinedPeers().containsKey(liarId));
    assertThat(home.quarantinedPeers().get(liarId)).contains("spot check");
    StatsPage page = new StatsPage(home.statsPort());
    await("the page shows the liar quarantined")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> stateOf(page.json("/api/peers").get("peers"), liarId), "quarantined"::equals);
    await("the download's record shows it quarantined")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> page.json("/api/downloads").get("history").size() > 0);
    JsonNode sources = page.json("/api/downloads").get("history").get(0).get("sources");
    assertThat(stateOfSource(sources, "peer:" + liarId)).isEqualTo("quarantined");

    // The next download runs without the liar and completes byte-exact.
    Path again = downloads.resolve("again.bin");
    assertThat(curl(again).exitCode()).isZero();
    assertThat(Clients.sha256(again)).isEqualTo(Content.ofSize(FILE).sha256Hex());
  }

  private static String stateOf(JsonNode peers, String id) {
    for (JsonNode peer : peers) {
      if (peer.get("id").asText().equals(id)) {
        return peer.get("state").asText();
      }
    }
    return null;
  }

  private static String stateOfSource(JsonNode sources, String name) {
    for (JsonNode source : sources) {
      if (source.get("name").asText().equals(name)) {
        return source.get("state").asText();
      }
    }
    return null;
  }

  private Clients.Outcome curl(Path output) throws Exception {
    return Clients.run(
        List.of(
            "curl",
            "--silent",
            "--show-error",
            "--fail",
            "--proxy",
            "http://127.0.0.1:" + home.proxyPort(),
            "--output",
            output.toString(),
            origin.url("/files/" + FILE)),
        Map.of());
  }
}
