package io.bamqp.proxy.aggregation;

import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one line the journal gets when a large download ends: what it was (its {@link UrlLabel}, no
 * query), how big and how fast, and either each source's share or why it was not aggregated.
 */
final class DownloadVerdict {
  private DownloadVerdict() {}

  static String line(DownloadSnapshot download) {
    String figures =
        String.format(
            Locale.ROOT,
            "%s in %.1f s, %.1f Mbit/s (%.1fx the home line)",
            mib(download.written()),
            download.elapsedMillis() / 1000.0,
            download.averageBytesPerSecond() * 8 / 1e6,
            download.speedUp());
    return switch (download.outcome()) {
      case COMPLETED ->
          "download "
              + download.url()
              + " aggregated: "
              + figures
              + "; "
              + shares(download)
              + (download.notes().contains(LiveDownload.METALINK_PIECES)
                  ? "; " + LiveDownload.METALINK_PIECES
                  : "");
      case NOT_AGGREGATED ->
          "download " + download.url() + " not aggregated: " + figures + "; " + download.reason();
      case FAILED ->
          "download "
              + download.url()
              + " abandoned after "
              + figures.replaceFirst(" in ", " of " + mib(download.size()) + " in ")
              + "; "
              + shares(download)
              + "; "
              + download.reason();
      case ACTIVE -> "download " + download.url() + " running: " + figures;
    };
  }

  /** {@code home 34%, peer:ABCD… 66%}: who supplied what the client got. */
  private static String shares(DownloadSnapshot download) {
    long total =
        Math.max(1, download.sources().stream().mapToLong(SourceSnapshot::keptBytes).sum());
    return download.sources().stream()
        .map(
            source ->
                String.format(
                    Locale.ROOT, "%s %.0f%%", source.name(), 100.0 * source.keptBytes() / total))
        .collect(Collectors.joining(", "));
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
