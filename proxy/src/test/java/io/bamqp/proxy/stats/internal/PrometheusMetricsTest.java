package io.bamqp.proxy.stats.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.proxy.aggregation.BufferBudget;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusMetricsTest {

  @Test
  void aNodeThatHasDownloadedNothingExposesEveryFamilyAtZero() {
    String text =
        PrometheusMetrics.render(
            List.of(), new DownloadRecords(10), new BufferBudget(32 << 20, 4 << 20));

    assertThat(text)
        .isEqualTo(
            """
            # HELP bamqp_bytes_total Bytes each source delivered to large downloads since start\
             (home or peer:ID).
            # TYPE bamqp_bytes_total counter
            # HELP bamqp_downloads_total Large downloads that ended since start, by outcome.
            # TYPE bamqp_downloads_total counter
            bamqp_downloads_total{outcome="completed"} 0
            bamqp_downloads_total{outcome="failed"} 0
            bamqp_downloads_total{outcome="not_aggregated"} 0
            # HELP bamqp_download_duration_seconds Time from the response head to the last byte\
             of large downloads that did not fail.
            # TYPE bamqp_download_duration_seconds histogram
            bamqp_download_duration_seconds_bucket{le="1"} 0
            bamqp_download_duration_seconds_bucket{le="5"} 0
            bamqp_download_duration_seconds_bucket{le="15"} 0
            bamqp_download_duration_seconds_bucket{le="30"} 0
            bamqp_download_duration_seconds_bucket{le="60"} 0
            bamqp_download_duration_seconds_bucket{le="120"} 0
            bamqp_download_duration_seconds_bucket{le="300"} 0
            bamqp_download_duration_seconds_bucket{le="600"} 0
            bamqp_download_duration_seconds_bucket{le="1800"} 0
            bamqp_download_duration_seconds_bucket{le="3600"} 0
            bamqp_download_duration_seconds_bucket{le="+Inf"} 0
            bamqp_download_duration_seconds_sum 0
            bamqp_download_duration_seconds_count 0
            # HELP bamqp_active_downloads Aggregated downloads running now.
            # TYPE bamqp_active_downloads gauge
            bamqp_active_downloads 0
            # HELP bamqp_buffer_bytes Bytes held in reorder buffers now.
            # TYPE bamqp_buffer_bytes gauge
            bamqp_buffer_bytes 0
            # HELP bamqp_buffer_budget_bytes The reorder memory all aggregated downloads share\
             (aggregation.totalBufferBytes).
            # TYPE bamqp_buffer_budget_bytes gauge
            bamqp_buffer_budget_bytes 33554432
            # HELP bamqp_buffer_reserved_bytes Windows of the buffer budget held now.
            # TYPE bamqp_buffer_reserved_bytes gauge
            bamqp_buffer_reserved_bytes 0
            """);
  }
}
