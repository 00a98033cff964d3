package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download whose origin sends no digest header is checked against the SHA-256 it publishes beside
 * the file ({@code aggregation.sidecarDigests}): a matching {@code FILE.sha256} or {@code
 * SHA256SUMS} line lets it complete; a different one (the bytes are not what the origin says it
 * serves) never lets the client see a complete response.
 */
class PublishedDigestIT {
  private static final long FILE = 24 * Content.MIB;
  private static final String PATH = "/files/" + FILE;
  private static final Duration LATENCY = Duration.ofMillis(10);

  private final Vertx vertx = Vertx.vertx();
  private Cluster cluster;
  @TempDir Path downloads;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    Await.result(vertx.close());
  }

  @Test
  void aMatchingShaFileLetsTheAggregatedDownloadComplete() throws Exception {
    start(TestOrigin.builder().text(PATH + ".sha256", sha256() + "  " + FILE + "\n"));

    Path file = Clients.curl(proxy(), downloads.resolve("ok.bin"), url());

    assertThat(Clients.sha256(file)).isEqualTo(sha256());
    assertThat(Clients.reportAfter(cluster.node(0), 0).bytes()).isEqualTo(FILE);
  }

  @Test
  void aDifferentShaFileNeverLetsTheClientSeeACompleteBody() throws Exception {
    String other = "0".repeat(64);
    start(TestOrigin.builder().text(PATH + ".sha256", other + "  " + FILE + "\n"));

    Path file = downloads.resolve("bad.bin");
    Clients.Outcome outcome =
        Clients.run(
            List.of(
                "curl",
                "--silent",
                "--show-error",
                "--fail",
                "--proxy",
                proxy(),
                "--output",
                file.toString(),
                url()),
            Map.of());

    assertThat(outcome.exitCode()).as("curl must see a failed transfer").isNotZero();
    assertThat(Files.size(file)).isLessThan(FILE);
  }

  @Test
  void theFilesLineInSha256SumsCountsToo() throws Exception {
    String other = "0".repeat(64);
    start(
        TestOrigin.builder()
            .text("/files/SHA256SUMS", sha256() + "  ./" + FILE + "\n" + other + "  other.iso\n"));

    Path file = Clients.curl(proxy(), downloads.resolve("sums.bin"), url());

    assertThat(Clients.sha256(file)).isEqualTo(sha256());
  }

  private void start(TestOrigin.Builder origin) throws Exception {
    cluster = Cluster.start(vertx, origin, UnaryOperator.identity(), LATENCY, "", 80, 40, 40);
  }

  private String proxy() {
    return "http://127.0.0.1:" + cluster.proxyPort();
  }

  private String url() {
    return cluster.origin().url(PATH);
  }

  private static String sha256() {
    return Content.ofSize(FILE).sha256Hex();
  }
}
