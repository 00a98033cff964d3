package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.peer.AuditEntry;
import io.bamqp.peer.AuditLog;
import io.bamqp.peer.PeerProtocol;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.proxy.demo.LoopbackRouter;
import io.bamqp.proxy.node.Node;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.Line;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A helper's monthly cap holds inside a range the home asks for, against real nodes and curl: the
 * helper serves up to its cap, cuts the range there, and the home completes the download byte-exact
 * from its other sources.
 */
class SharingCapIT {
  private static final long FILE = 16 * Content.MIB;
  private static final long CAP = Content.MIB;
  private static final String HOME = "127.0.0.21";
  private static final String HELPER = "127.0.0.22";
  // The helper's line is the faster one, so the home would take far more than the cap from it.
  private static final double HOME_MBPS = 20;
  private static final double HELPER_MBPS = 80;

  private final Vertx vertx = Vertx.vertx();
  private Node helper;
  private Node home;
  @TempDir Path downloads;

  @AfterEach
  void stop() {
    if (home != null) {
      Await.result(home.close());
    }
    if (helper != null) {
      Await.result(helper.close());
    }
    Await.result(vertx.close());
  }

  @Test
  void aHelperWithAOneMebibyteCapGivesAtMostThatAndTheDownloadStillCompletes() throws Exception {
    TestOrigin origin =
        Await.result(
            TestOrigin.builder()
                .line(HOME, Line.ofMbps(HOME_MBPS))
                .line(HELPER, Line.ofMbps(HELPER_MBPS))
                .build()
                .start(vertx));
    LoopbackRouter homeRouter = LoopbackRouter.of(HOME, HOME_MBPS);
    LoopbackRouter helperRouter =
        LoopbackRouter.builder(HELPER, HELPER_MBPS).trusted(List.of(homeRouter.id())).build();
    String capped =
        helperRouter
            .yaml()
            .replace(
                "sharing:\n  enabled: true\n", "sharing:\n  enabled: true\n  monthlyCap: 1MiB\n");
    assertThat(capped).contains("monthlyCap: 1MiB");
    helper = Await.result(Node.start(vertx, ConfigLoader.parse(capped)));
    home =
        Await.result(
            Node.start(
                vertx,
                homeRouter.toBuilder()
                    .peers(Map.of(helperRouter.id().toString(), helper.peerPort()))
                    .build()
                    .config()));
    Path file = downloads.resolve("file.bin");

    Clients.curl("http://127.0.0.1:" + home.proxyPort(), file, origin.url("/files/" + FILE));

    assertThat(Clients.sha256(file)).isEqualTo(Content.ofSize(FILE).sha256Hex());
    Path audit = helper.stateDir().resolve(Node.AUDIT_DIR);
    List<AuditEntry> entries =
        await("the helper audits the range it cut")
            .atMost(Await.DEFAULT_DEADLINE)
            .until(
                () -> {
                  List<AuditEntry> read = AuditLog.read(audit, Instant.now().minusSeconds(600));
                  return read.stream().anyMatch(e -> e.outcome().contains("DECLINED"))
                      ? read
                      : null;
                },
                Objects::nonNull);
    long given = entries.stream().mapToLong(AuditEntry::bytesSent).sum();
    // Every origin read is admitted against the cap before it is relayed: a range in flight alone
    // never passes it, concurrent ones by at most one origin read each (well under a chunk).
    assertThat(given).isPositive().isLessThanOrEqualTo(CAP + PeerProtocol.CHUNK_BYTES);
    assertThat(entries)
        .filteredOn(e -> e.outcome().startsWith("aborted"))
        .allSatisfy(e -> assertThat(e.outcome()).contains("monthly cap of 1MiB reached"));
  }
}
