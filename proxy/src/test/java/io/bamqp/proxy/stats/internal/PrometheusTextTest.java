package io.bamqp.proxy.stats.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void countersCarryHelpTypeAndEscapedLabels() {
    Map<String, Long> bytes = new TreeMap<>(Map.of("home", 10L, "peer:a\"b\\c", 5L));

    String text =
        new PrometheusText()
            .family("bamqp_bytes_total", "counter", "Bytes.")
            .samples("bamqp_bytes_total", "source", bytes)
            .toString();

    assertThat(text)
        .isEqualTo(
            """
            # HELP bamqp_bytes_total Bytes.
            # TYPE bamqp_bytes_total counter
            bamqp_bytes_total{source="home"} 10
            bamqp_bytes_total{source="peer:a\\"b\\\\c"} 5
            """);
  }

  @Test
  void aHistogramHasCumulativeBucketsInfSumAndCount() {
    String text =
        new PrometheusText()
            .histogram("d_seconds", new double[] {1, 2.5}, new long[] {1, 3}, 4.75, 4)
            .toString();

    assertThat(text)
        .isEqualTo(
            """
            d_seconds_bucket{le="1"} 1
            d_seconds_bucket{le="2.5"} 3
            d_seconds_bucket{le="+Inf"} 4
            d_seconds_sum 4.75
            d_seconds_count 4
            """);
  }

  @Test
  void endedDownloadsFeedTheCountersAndTheHistogram() {
    DownloadRecords records = new DownloadRecords(10);
    records.restore(java.util.List.of(HistoryFileTest.download("loaded")));
    records.ended(HistoryFileTest.download("d1"));

    assertThat(records.bytesBySource(java.util.List.of())).isEqualTo(Map.of("home", 1L << 24));
    assertThat(records.outcomes()).containsEntry("not_aggregated", 1L).containsEntry("failed", 0L);
    assertThat(records.durationBuckets()).startsWith(0, 1);
    assertThat(records.durationCount()).isEqualTo(1);
    assertThat(records.history()).hasSize(2);
  }
}
