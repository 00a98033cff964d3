package io.bamqp.proxy.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.proxy.aggregation.LineStatus;
import io.bamqp.proxy.aggregation.SessionReport;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.Line;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A router with two lines of its own ({@code wan.lines}) and no neighbor, on loopback: the primary
 * binds 127.0.0.1, the second line 127.0.0.2, and the test origin shapes each source address as a
 * line of its own. Every download goes through the real proxy and is checked byte for byte.
 */
@Timeout(60)
class OwnLinesTest {
  private static final long SIZE = 8 * Content.MIB;

  private final Vertx vertx = Vertx.vertx();
  @TempDir Path dir;
  private TestOrigin origin;
  private Node node;

  @AfterEach
  void stop() {
    if (node != null) {
      Await.result(node.close());
    }
    if (origin != null) {
      Await.result(origin.close());
    }
    Await.result(vertx.close());
  }

  private void start(String secondLine) {
    origin =
        Await.result(
            TestOrigin.builder()
                .file("/f.bin", SIZE)
                .line("127.0.0.1", Line.ofRate(4_000_000))
                .line("127.0.0.2", Line.ofRate(2_000_000))
                .build()
                .start(vertx));
    String yaml =
        "proxy: {listen: 127.0.0.1:0}\n"
            + "wan:\n"
            + "  lines:\n"
            + "    - {name: dsl, bindAddress: 127.0.0.1, rateMbps: 32}\n"
            + "    - "
            + secondLine
            + "\n"
            + "aggregation: {minBytes: 1MiB, stallTimeout: 1s}\n"
            + "peer: {listen: 127.0.0.1:0}\n"
            + "discovery: {mdns: false}\n"
            + "security: {allowDestinations: [127.0.0.0/8]}\n"
            + "stats: {enabled: false}\n"
            + "state: {dir: "
            + dir.resolve("state")
            + "}\n";
    node = Await.result(Node.start(vertx, ConfigLoader.parse(yaml)));
  }

  /** Downloads the file through the proxy; returns its SHA-256 in hex. */
  private String download() throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", node.proxy().port())))
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(origin.url("/f.bin")))
            .timeout(Duration.ofSeconds(30))
            .build();
    HttpResponse<InputStream> response =
        client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    MessageDigest sha = Content.newSha256();
    try (InputStream body = response.body()) {
      byte[] buffer = new byte[64 * 1024];
      for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
        sha.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private SessionReport lastReport() {
    List<SessionReport> reports = node.proxy().recentDownloads();
    assertThat(reports).as("an aggregated download").isNotEmpty();
    return reports.get(reports.size() - 1);
  }

  private LineStatus line(String name) {
    return node.proxy().downloads().lines().stream()
        .filter(line -> line.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aDownloadIsSplitAcrossTheRoutersOwnLinesWithNoNeighbor() throws Exception {
    start("{name: lte, bindAddress: 127.0.0.2, rateMbps: 16}");

    assertThat(download()).isEqualTo(origin.content("/f.bin").sha256Hex());

    await("the download's report")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> !node.proxy().recentDownloads().isEmpty());
    assertThat(lastReport().bytesBySource()).containsOnlyKeys("home", "lte");
    assertThat(lastReport().bytesBySource().get("lte")).isGreaterThan(SIZE / 8);
    assertThat(origin.stats("127.0.0.2").bytesSent()).isGreaterThan(SIZE / 8);
    assertThat(origin.stats("127.0.0.1").bytesSent()).isGreaterThan(SIZE / 4);
    assertThat(node.proxy().downloads().lines())
        .extracting(LineStatus::name, LineStatus::primary, LineStatus::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("dsl", true, "up"),
            org.assertj.core.groups.Tuple.tuple("lte", false, "up"));
  }

  @Test
  void aLineWhoseAddressIsGoneIsRetiredAndTheDownloadStillCompletes() throws Exception {
    // 192.0.2.0/24 is TEST-NET-1: no interface of this machine has it, so binding it fails.
    start("{name: lte, bindAddress: 192.0.2.77, rateMbps: 16}");

    assertThat(download()).isEqualTo(origin.content("/f.bin").sha256Hex());

    assertThat(line("lte").state()).isEqualTo("down");
    assertThat(line("lte").retryInMillis()).isPositive();
    await("the download's report")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> !node.proxy().recentDownloads().isEmpty());
    assertThat(lastReport().bytesBySource().getOrDefault("lte", 0L)).isZero();
  }

  @Test
  void aLineThatStallsIsRetiredWithinTheStallTimeoutAndItsRangesGoToTheOther() throws Exception {
    start("{name: lte, bindAddress: 127.0.0.2, rateMbps: 16}");
    // A slower primary, so that the download outlasts the stall timeout by far.
    origin.setLine("127.0.0.1", Line.ofRate(1_000_000));
    origin.faults().stallAfter(16 * 1024).onlyFor("127.0.0.2");
    java.util.concurrent.CompletableFuture<io.bamqp.proxy.aggregation.DownloadSnapshot> ended =
        new java.util.concurrent.CompletableFuture<>();
    node.proxy().downloads().onEnded(ended::complete);

    assertThat(download()).isEqualTo(origin.content("/f.bin").sha256Hex());

    io.bamqp.proxy.aggregation.DownloadSnapshot last =
        ended.get(30, java.util.concurrent.TimeUnit.SECONDS);
    io.bamqp.proxy.aggregation.SourceSnapshot lte =
        last.sources().stream()
            .filter(source -> source.name().equals("lte"))
            .findFirst()
            .orElseThrow();
    assertThat(lte.stalls()).as("lte's stalls in %s", last).isPositive();
    assertThat(lte.keptBytes()).isLessThan(SIZE / 4);
  }

  @Test
  void aMeteredLineStaysOutOfDownloadsSmallerThanItsMinimum() throws Exception {
    start("{name: lte, bindAddress: 127.0.0.2, rateMbps: 16, metered: true, minBytes: 64MiB}");

    assertThat(download()).isEqualTo(origin.content("/f.bin").sha256Hex());

    assertThat(origin.stats("127.0.0.2").bytesSent()).isZero();
    assertThat(line("lte").usedBytes()).isZero();
  }

  @Test
  void aMeteredLineStopsAtItsMonthlyCapAndItsUseIsSaved() throws Exception {
    start(
        "{name: lte, bindAddress: 127.0.0.2, rateMbps: 16, metered: true, minBytes: 1MiB,"
            + " monthlyCap: 1MiB}");

    assertThat(download()).isEqualTo(origin.content("/f.bin").sha256Hex());

    assertThat(line("lte").state()).isEqualTo("capped");
    assertThat(line("lte").usedBytes()).isGreaterThanOrEqualTo(Content.MIB);
    long sent = origin.stats("127.0.0.2").bytesSent();
    assertThat(sent).isLessThan(SIZE / 2);

    assertThat(download()).isEqualTo(origin.content("/f.bin").sha256Hex());
    assertThat(origin.stats("127.0.0.2").bytesSent())
        .as("nothing more once capped")
        .isEqualTo(sent);

    long used = line("lte").usedBytes();
    Await.result(node.close());
    node = null;
    assertThat(Files.readString(dir.resolve("state/lines.json")))
        .contains("\"lte\" : " + used)
        .contains("\"month\" : \"" + java.time.YearMonth.now() + "\"");
  }
}
