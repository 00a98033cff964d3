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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metalink 4 (RFC 5854/6249) against a real home and curl, spot checks off so that only the
 * Metalink checks: the origin names the file's Metalink in a {@code Link: rel=describedby} header,
 * with SHA-256 piece hashes; a trusted neighbor alters one byte in every MiB, each chunk validly
 * signed. Its first bad piece is caught before the client gets it, the neighbor is quarantined, its
 * bytes are fetched again over the home line, and curl gets the exact file. A Metalink beside the
 * file ({@code FILE.meta4}) that does not describe it never lets the download complete.
 */
class MetalinkIT {
  private static final long FILE = 32 * Content.MIB;
  private static final String PATH = "/files/" + FILE;
  private static final int PIECE = 256 * 1024;
  private static final String HOME = "127.0.0.11";

  private final Vertx vertx = Vertx.vertx();
  private TestOrigin origin;
  private RogueHelper liar;
  private Node home;
  @TempDir Path downloads;

  @AfterEach
  void stop() throws Exception {
    if (home != null) {
      Await.result(home.close());
    }
    if (liar != null) {
      Await.result(liar.close());
    }
    if (origin != null) {
      Await.result(origin.close());
    }
    Await.result(vertx.close());
  }

  @Test
  void aNeighborAlteringOneBytePerMibIsCaughtByPieceHashesAndCurlGetsTheExactFile()
      throws Exception {
    start(
        TestOrigin.builder()
            .header(
                PATH,
                "Link",
                "<http://mirror.example/x.iso>; rel=duplicate, </metalinks/"
                    + FILE
                    + ".meta4>; rel=describedby; type=\"application/metalink4+xml\"")
            .text("/metalinks/" + FILE + ".meta4", metalink(Content.ofSize(FILE))));
    Path file = downloads.resolve("file.bin");

    Clients.Outcome outcome = curl(file);

    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    assertThat(Clients.sha256(file)).isEqualTo(Content.ofSize(FILE).sha256Hex());
    String liarId = liar.id().toString();
    await("the liar is quarantined")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> home.quarantinedPeers().containsKey(liarId));
    assertThat(home.quarantinedPeers().get(liarId))
        .contains("a Metalink piece hash found")
        .contains("confirmed by the home line");
    StatsPage page = new StatsPage(home.statsPort());
    await("the download's record")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> page.json("/api/downloads").get("history").size() > 0);
    JsonNode record = page.json("/api/downloads").get("history").get(0);
    assertThat(record.get("outcome").asText()).isEqualTo("COMPLETED");
    assertThat(record.get("notes").toString()).contains("verified by Metalink piece hashes");
    assertThat(stateOfSource(record.get("sources"), "peer:" + liarId)).isEqualTo("quarantined");
  }

  @Test
  void aMetalinkBesideTheFileThatDoesNotDescribeItNeverLetsTheDownloadComplete() throws Exception {
    start(
        TestOrigin.builder()
            .text(PATH + ".meta4", metalink(Content.ofPath("/another/file", FILE))));
    Path file = downloads.resolve("bad.bin");

    Clients.Outcome outcome = curl(file);

    assertThat(outcome.exitCode()).as("curl must see a failed transfer").isNotZero();
    assertThat(Files.exists(file) ? Files.size(file) : 0).isLessThan(FILE);
    assertThat(home.quarantinedPeers())
        .as("the origin's own bytes disagree: no neighbor is blamed")
        .isEmpty();
  }

  private void start(TestOrigin.Builder builder) throws Exception {
    // A home line of 1 MB/s beside the liar's 1 MB/s (it offers that, and serves faster): the liar
    // carries a good share even when a busy machine slows its first answers.
    origin = Await.result(builder.line(HOME, Line.ofMbps(8)).build().start(vertx));
    LoopbackRouter homeRouter = LoopbackRouter.of(HOME, 8);
    liar =
        Await.result(
                RogueHelper.start(
                    vertx,
                    Identity.generate(),
                    TrustedPeers.of(List.of(homeRouter.id())),
                    Content.ofSize(FILE)))
            .misbehave(RogueHelper.Fault.TAMPER_SIGNED, RogueHelper.ONE_BYTE_PER_MIB);
    home =
        Await.result(
            Node.start(
                vertx,
                homeRouter.toBuilder()
                    .peers(Map.of(liar.id().toString(), liar.port()))
                    .aggregation("spotCheckRatio: 0")
                    .build()
                    .config()));
    StatsPage page = new StatsPage(home.statsPort());
    await("the liar online at the home node, so the download may be split")
        .atMost(Await.DEFAULT_DEADLINE)
        .ignoreExceptions() // a busy machine may time a poll of the page out: poll again
        .until(
            () -> {
              JsonNode peers = page.json("/api/peers").get("peers");
              return peers.size() == 1 && peers.get(0).get("state").asText().startsWith("online");
            });
  }

  /** A Metalink 4 document for {@link #PATH} with {@code content}'s SHA-256 and piece hashes. */
  private static String metalink(Content content) {
    StringBuilder xml =
        new StringBuilder(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\">\n"
                + "  <file name=\""
                + FILE
                + "\">\n    <size>"
                + FILE
                + "</size>\n    <hash type=\"sha-256\">"
                + content.sha256Hex()
                + "</hash>\n    <pieces length=\""
                + PIECE
                + "\" type=\"sha-256\">\n");
    for (long at = 0; at < FILE; at += PIECE) {
      xml.append("      <hash>").append(content.sha256Hex(at, PIECE)).append("</hash>\n");
    }
    return xml.append("    </pieces>\n  </file>\n</metalink>\n").toString();
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
            origin.url(PATH)),
        Map.of());
  }
}
