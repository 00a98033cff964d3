package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TunnelRecordTest {
  private static final long MIN_BYTES = 1 << 20;

  private final Vertx vertx = Vertx.vertx();
  private final Aggregator aggregator =
      new Aggregator(
          vertx,
          new AggregationOptions(
              true, MIN_BYTES, 1 << 22, Duration.ofSeconds(1), List.of(), 1, 5_000_000),
          new Neighbors(vertx, (id, address) -> null));
  private final List<DownloadSnapshot> ended = new ArrayList<>();

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void aLargeTunnelIsRecordedAsNotAcceleratedUnderItsHostAndPortOnly() {
    aggregator.downloads().onEnded(ended::add);

    aggregator.tunnelled("downloads.example.com:443", 3 * MIN_BYTES, 2_000_000_000L);

    assertThat(ended).hasSize(1);
    DownloadSnapshot tunnel = ended.get(0);
    assertThat(tunnel.url()).isEqualTo("downloads.example.com:443");
    assertThat(tunnel.reason())
        .isEqualTo("HTTPS tunnel: not accelerated (use the extension or /fetch)");
    assertThat(tunnel.outcome()).isEqualTo(DownloadSnapshot.Outcome.NOT_AGGREGATED);
    assertThat(tunnel.size()).isEqualTo(3 * MIN_BYTES);
    assertThat(tunnel.written()).isEqualTo(3 * MIN_BYTES);
    assertThat(tunnel.elapsedMillis()).isEqualTo(2000);
    assertThat(aggregator.downloads().live()).isEmpty();
  }

  @Test
  void aSmallTunnelIsNotRecorded() {
    aggregator.downloads().onEnded(ended::add);

    aggregator.tunnelled("chat.example.com:443", MIN_BYTES - 1, 1_000_000L);

    assertThat(ended).isEmpty();
  }
}
