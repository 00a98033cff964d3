package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a home node tells its journal at INFO, through real sockets: each trusted neighbor coming
 * online, and one verdict line when a large download ends, with its sources' shares and without the
 * query string.
 */
class JournalIT {
  private static final long FILE = 16 * Content.MIB;

  private final Vertx vertx = Vertx.vertx();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Logger bamqp = Logger.getLogger("io.bamqp");
  private final Handler collect =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.INFO.intValue()) {
            lines.add(record.getLoggerName() + " " + formatter.formatMessage(record));
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private Cluster cluster;
  @TempDir Path downloads;

  @AfterEach
  void stop() throws Exception {
    bamqp.removeHandler(collect);
    if (cluster != null) {
      cluster.close();
    }
    Await.result(vertx.close());
  }

  @Test
  void neighborsComingOnlineAndALargeDownloadsVerdictAreOneInfoLineEach() throws Exception {
    bamqp.addHandler(collect);
    cluster = Cluster.start(vertx, Duration.ofMillis(10), "", 40, 40, 20);

    Path file =
        Clients.curl(
            "http://127.0.0.1:" + cluster.proxyPort(),
            downloads.resolve("curl.bin"),
            cluster.origin().url("/files/" + FILE + "?mirror=SECRETIVE"));

    assertThat(Clients.sha256(file)).isEqualTo(Content.ofSize(FILE).sha256Hex());
    await("the download's verdict line")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> lines.stream().anyMatch(line -> line.startsWith("io.bamqp.download ")));
    List<String> verdicts =
        lines.stream().filter(line -> line.startsWith("io.bamqp.download ")).toList();
    assertThat(verdicts).hasSize(1);
    assertThat(verdicts.get(0))
        .contains(" aggregated: 16.0 MiB in ")
        .contains("x the home line); home ")
        .containsPattern("peer:" + cluster.id(1) + " \\d+%")
        .doesNotContain("SECRETIVE")
        .doesNotContain("?");
    // The liveness probe's verdict may land after the download used the neighbor: wait for it.
    String online = "io.bamqp.neighbors neighbor " + cluster.id(1) + " online at ";
    await("the neighbor's online line")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> lines.stream().anyMatch(line -> line.startsWith(online)));
  }
}
