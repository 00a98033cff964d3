package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.peer.AuditEntry;
import io.bamqp.peer.AuditLog;
import io.bamqp.peer.RogueHelper;
import io.bamqp.proxy.aggregation.SessionReport;
import io.bamqp.proxy.config.ConfigLoader;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Neighbors that misbehave, against a real home node and curl: a helper speaking the protocol that
 * lies in its chunks, one the home does not know, one that does not trust the home. In every case
 * the client never gets a wrong byte in a response that completes normally, and the home keeps
 * serving.
 */
class TrustIT {
  private static final long FILE = 16 * Content.MIB;
  private static final String HOME = "127.0.0.11";
  private static final String HONEST = "127.0.0.12";

  private final Vertx vertx = Vertx.vertx();
  private TestOrigin origin;
  private RogueHelper rogue;
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
    if (rogue != null) {
      Await.result(rogue.close());
    }
    Await.result(vertx.close());
  }

  /**
   * Starts the origin, an honest helper, a rogue helper committing {@code fault} in every range's
   * first chunk, and the home that trusts both (or only the honest one).
   */
  private void start(RogueHelper.Fault fault, boolean homeTrustsRogue) throws Exception {
    start(fault, 0, homeTrustsRogue);
  }

  private void start(RogueHelper.Fault fault, long chunk, boolean homeTrustsRogue)
      throws Exception {
    origin = startOrigin();
    LoopbackRouter homeRouter = LoopbackRouter.of(HOME, 40);
    rogue =
        Await.result(
                RogueHelper.start(
                    vertx,
                    Identity.generate(),
                    TrustedPeers.of(List.of(homeRouter.id())),
                    Content.ofSize(FILE)))
            .misbehave(fault, chunk);
    LoopbackRouter honestRouter =
        LoopbackRouter.builder(HONEST, 40).trusted(List.of(homeRouter.id())).build();
    honest = Await.result(Node.start(vertx, honestRouter.config()));
    Map<String, Integer> peers = new TreeMap<>();
    peers.put(honestRouter.id().toString(), honest.peerPort());
    if (homeTrustsRogue) {
      peers.put(rogue.id().toString(), rogue.port());
    }
    home =
        Await.result(
            Node.start(
                vertx,
                homeRouter.toBuilder()
                    .peers(peers)
                    .aggregation("spotCheckRatio: 1")
                    .build()
                    .config()));
  }

  /** The test-bed origin, with the home's and the honest helper's lines. */
  private TestOrigin startOrigin() throws Exception {
    return Await.result(
        TestOrigin.builder()
            .line(HOME, Line.ofMbps(40))
            .line(HONEST, Line.ofMbps(40))
            .build()
            .start(vertx));
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

  @ParameterizedTest
  @EnumSource(
      value = RogueHelper.Fault.class,
      names = {"TAMPER_UNSIGNED", "FOREIGN_SIGNATURE", "WRONG_LENGTH", "TRUNCATE"})
  void aHelperWhoseChunksFailTheirChecksIsQuarantinedAndTheDownloadStillCompletes(
      RogueHelper.Fault fault) throws Exception {
    start(fault, true);
    Path file = downloads.resolve("file.bin");

    Clients.Outcome outcome = curl(file);

    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    assertThat(Clients.sha256(file)).isEqualTo(Content.ofSize(FILE).sha256Hex());
    await("the rogue is quarantined")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> home.quarantinedPeers().containsKey(rogue.id().toString()));
    assertThat(home.quarantinedPeers().get(rogue.id().toString())).contains("BAD_CHUNK");
    SessionReport report = lastDownload();
    assertThat(report.bytesBySource().getOrDefault("peer:" + rogue.id(), 0L))
        .as("no byte of the rogue's reached the client")
        .isZero();
  }

  /**
   * A helper that signs other bytes than the origin's (a substituted file): its signature is valid,
   * so only a copy of the same bytes from the origin can tell. Spot checks (on by default: a new
   * neighbor's first ranges are compared whole) find it before its bytes reach the client; the
   * download is repaired from the other sources, or, if some of its bytes had gone out, cut short.
   * The single altered byte per MiB is {@code IntegrityIT}'s.
   */
  @Test
  void aHelperThatSignsBytesItSubstitutedIsCaughtBySpotChecksAndNeverCompletesAResponse()
      throws Exception {
    start(RogueHelper.Fault.REPLACE_SIGNED, RogueHelper.EVERY_CHUNK, true);
    Path file = downloads.resolve("file.bin");

    Clients.Outcome outcome = curl(file);

    if (outcome.exitCode() == 0) {
      assertThat(Clients.sha256(file)).as("repaired").isEqualTo(Content.ofSize(FILE).sha256Hex());
    } else {
      assertThat(Files.exists(file) ? Files.size(file) : 0).isLessThan(FILE);
    }
    await("the rogue is quarantined")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> home.quarantinedPeers().containsKey(rogue.id().toString()));
    assertThat(home.quarantinedPeers().get(rogue.id().toString())).contains("spot check");

    // The home keeps serving, now without the rogue.
    Path again = downloads.resolve("again.bin");
    assertThat(curl(again).exitCode()).isZero();
    assertThat(Clients.sha256(again)).isEqualTo(Content.ofSize(FILE).sha256Hex());
  }

  @Test
  void bytesAHelperSendsPastItsRangeNeverReachTheClient() throws Exception {
    start(RogueHelper.Fault.EXTRA_BYTES, true);
    Path file = downloads.resolve("file.bin");

    Clients.Outcome outcome = curl(file);

    // Home reads a range's frames up to its known length and no further: the extra bytes are
    // never read, so they cannot be delivered (nor prove anything against the helper).
    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    assertThat(Clients.sha256(file)).isEqualTo(Content.ofSize(FILE).sha256Hex());
  }

  @Test
  void aTricklingHelperLosesItsRangeButIsNotAccusedOfLying() throws Exception {
    start(RogueHelper.Fault.TRICKLE, true);
    Path file = downloads.resolve("file.bin");

    Clients.Outcome outcome = curl(file);

    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    assertThat(Clients.sha256(file)).isEqualTo(Content.ofSize(FILE).sha256Hex());
    assertThat(home.quarantinedPeers()).isEmpty();
  }

  @Test
  void aHelperThatDoesNotTrustTheHomeRefusesItInTheHandshake() throws Exception {
    origin = startOrigin();
    LoopbackRouter stranger = LoopbackRouter.of(HONEST, 40);
    // The helper trusts someone else entirely; the home lists the helper anyway.
    honest =
        Await.result(
            Node.start(
                vertx,
                stranger.toBuilder()
                    .trusted(List.of(LoopbackRouter.of("127.0.0.13", 1).id()))
                    .build()
                    .config()));
    LoopbackRouter homeRouter =
        LoopbackRouter.builder(HOME, 40)
            .peers(Map.of(stranger.id().toString(), honest.peerPort()))
            .build();
    home = Await.result(Node.start(vertx, homeRouter.config()));
    Path file = downloads.resolve("file.bin");

    Clients.Outcome outcome = curl(file);

    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    assertThat(Clients.sha256(file)).isEqualTo(Content.ofSize(FILE).sha256Hex());
    assertThat(origin.stats(HONEST).bytesSent()).as("the helper fetched nothing").isZero();
    assertThat(lastDownload().bytesBySource()).containsOnlyKeys("home");
  }

  @Test
  void aHelperRefusesToFetchItsOwnLoopbackForANeighborAndTheDownloadStillCompletes()
      throws Exception {
    origin = startOrigin();
    LoopbackRouter homeRouter = LoopbackRouter.of(HOME, 40);
    LoopbackRouter strictRouter =
        LoopbackRouter.builder(HONEST, 40).trusted(List.of(homeRouter.id())).build();
    // The helper as shipped: no allowDestinations, so the test origin on 127.0.0.1 is its loopback.
    String strict =
        strictRouter.yaml().replace("allowDestinations: [127.0.0.0/8]", "allowDestinations: []");
    honest = Await.result(Node.start(vertx, ConfigLoader.parse(strict)));
    home =
        Await.result(
            Node.start(
                vertx,
                homeRouter.toBuilder()
                    .peers(Map.of(strictRouter.id().toString(), honest.peerPort()))
                    .build()
                    .config()));
    Path file = downloads.resolve("file.bin");

    Clients.Outcome outcome = curl(file);

    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    assertThat(Clients.sha256(file)).isEqualTo(Content.ofSize(FILE).sha256Hex());
    assertThat(origin.stats(HONEST).bytesSent()).as("the helper fetched nothing").isZero();
    assertThat(home.quarantinedPeers()).as("a refusal is not misbehaviour").isEmpty();
    List<AuditEntry> refused =
        await("the helper audited its refusal")
            .atMost(Await.DEFAULT_DEADLINE)
            .until(
                () -> {
                  List<AuditEntry> read =
                      AuditLog.read(
                          honest.stateDir().resolve(Node.AUDIT_DIR),
                          Instant.now().minusSeconds(600));
                  return read.isEmpty() ? null : read;
                },
                Objects::nonNull);
    assertThat(refused)
        .allSatisfy(entry -> assertThat(entry.outcome()).startsWith("refused DESTINATION_REFUSED"));
  }

  @Test
  void everyFetchForANeighborIsAuditedWithTheNeighborsSignature() throws Exception {
    start(RogueHelper.Fault.NONE, false);
    Path file = downloads.resolve("file.bin");

    assertThat(curl(file).exitCode()).isZero();

    SessionReport report = lastDownload();
    long carried = report.bytesBySource().values().stream().mapToLong(Long::longValue).sum();
    long byHelper = carried - report.bytesBySource().getOrDefault("home", 0L);
    assertThat(byHelper).isPositive();
    Path audit = Path.of(stateDirOf(honest)).resolve(Node.AUDIT_DIR);
    List<AuditEntry> entries =
        await("the helper's audit log lists its fetches")
            .atMost(Await.DEFAULT_DEADLINE)
            .until(
                () -> {
                  List<AuditEntry> read = AuditLog.read(audit, Instant.now().minusSeconds(600));
                  long sent = read.stream().mapToLong(AuditEntry::bytesSent).sum();
                  return sent >= byHelper ? read : null;
                },
                Objects::nonNull);
    assertThat(entries)
        .allSatisfy(
            entry -> {
              assertThat(entry.peer()).isEqualTo(home.id().toString());
              assertThat(entry.proves()).isTrue();
              assertThat(entry.url()).isEqualTo(origin.url("/files/" + FILE));
            });
  }

  private SessionReport lastDownload() throws Exception {
    return Clients.reportAfter(home, 0);
  }

  private static String stateDirOf(Node node) {
    return node.stateDir().toString();
  }
}
