package io.bamqp.proxy.stats.internal;

import io.bamqp.proxy.aggregation.BufferBudget;
import io.bamqp.proxy.aggregation.DownloadSnapshot;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * What {@code /metrics} answers: bytes by source, ended downloads by outcome, the duration
 * histogram, and the downloads and buffers in use now, in the Prometheus text format.
 */
final class PrometheusMetrics implements Handler<RoutingContext> {
  private final StatsVerticle stats;

  PrometheusMetrics(StatsVerticle stats) {
    this.stats = stats;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String text = render(stats.live(), stats.records(), stats.budget());
    ctx.response().putHeader("content-type", PrometheusText.CONTENT_TYPE).end(text);
  }

  /** The exposition for the downloads running now and the counters since start. */
  static String render(List<DownloadSnapshot> live, DownloadRecords records, BufferBudget budget) {
    return new PrometheusText()
        .family(
            "bamqp_bytes_total",
            "counter",
            "Bytes each source delivered to large downloads since start (home or peer:ID).")
        .samples("bamqp_bytes_total", "source", records.bytesBySource(live))
        .family(
            "bamqp_downloads_total",
            "counter",
            "Large downloads that ended since start, by outcome.")
        .samples("bamqp_downloads_total", "outcome", records.outcomes())
        .family(
            "bamqp_download_duration_seconds",
            "histogram",
            "Time from the response head to the last byte of large downloads that did not fail.")
        .histogram(
            "bamqp_download_duration_seconds",
            DownloadRecords.DURATION_BUCKETS,
            records.durationBuckets(),
            records.durationSum(),
            records.durationCount())
        .family("bamqp_active_downloads", "gauge", "Aggregated downloads running now.")
        .sample("bamqp_active_downloads", live.size())
        .family("bamqp_buffer_bytes", "gauge", "Bytes held in reorder buffers now.")
        .sample("bamqp_buffer_bytes", StatsVerticle.bufferBytes(live))
        .family(
            "bamqp_buffer_budget_bytes",
            "gauge",
            "The reorder memory all aggregated downloads share (aggregation.totalBufferBytes).")
        .sample("bamqp_buffer_budget_bytes", budget.totalBytes())
        .family("bamqp_buffer_reserved_bytes", "gauge", "Windows of the buffer budget held now.")
        .sample("bamqp_buffer_reserved_bytes", budget.reservedBytes())
        .toString();
  }
}
