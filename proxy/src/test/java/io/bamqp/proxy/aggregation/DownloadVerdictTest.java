package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.proxy.LogLines;
import java.util.List;
import org.junit.jupiter.api.Test;

class DownloadVerdictTest {
  private static final long MIB = 1 << 20;
  private static final long LINE = 50_000_000 / 8;

  @Test
  void aStreamedThroughDownloadEndsWithOneInfoLineWithItsReasonAndNoQuery() {
    DownloadBoard board = new DownloadBoard(new BufferBudget(32 * MIB, 4 * MIB));
    try (LogLines log = LogLines.of("io.bamqp.download")) {
      board.ended(
          DownloadSnapshot.notAggregated(
              "1",
              UrlLabel.of("files.example:443/pub/big.iso?X-Amz-Signature=s3cret"),
              null,
              0,
              8_000,
              40 * MIB,
              40 * MIB,
              LINE,
              "no trusted neighbor is online",
              true));

      assertThat(log.info())
          .containsExactly(
              "INFO download files.example:443/pub/big.iso not aggregated: 40.0 MiB in 8.0 s,"
                  + " 41.9 Mbit/s (0.8x the home line); no trusted neighbor is online");
    }
  }

  @Test
  void anAggregatedDownloadSaysEachSourcesShareOfWhatTheClientGot() {
    DownloadSnapshot done =
        new DownloadSnapshot(
            "2",
            "files.example/big.iso",
            null,
            0,
            4_000,
            100 * MIB,
            100 * MIB,
            0,
            25 * MIB,
            -1,
            LINE,
            4.2,
            0.9,
            0,
            0,
            0,
            0,
            DownloadSnapshot.Outcome.COMPLETED,
            null,
            List.of(),
            250,
            List.of(source("home", 30 * MIB), source("peer:ABCD", 70 * MIB)));

    assertThat(DownloadVerdict.line(done))
        .isEqualTo(
            "download files.example/big.iso aggregated: 100.0 MiB in 4.0 s, 209.7 Mbit/s (4.2x"
                + " the home line); home 30%, peer:ABCD 70%");
  }

  @Test
  void aClientLoopingOverLargeFilesGetsAtMostTheVerdictLinesOfAMinute() {
    DownloadBoard board = new DownloadBoard(new BufferBudget(32 * MIB, 4 * MIB));
    try (LogLines log = LogLines.of("io.bamqp.download")) {
      for (int i = 0; i < DownloadBoard.VERDICT_LINES_PER_MINUTE + 10; i++) {
        board.ended(
            DownloadSnapshot.notAggregated(
                "d" + i, "h/f", null, 0, 1000, 9 * MIB, 9 * MIB, LINE, "aggregation is off", true));
      }
      assertThat(log.info()).hasSize(DownloadBoard.VERDICT_LINES_PER_MINUTE);
    }
  }

  private static SourceSnapshot source(String name, long kept) {
    return new SourceSnapshot(name, "ended", kept, kept, 0, LINE, 0, 0, 0, 0, 0, 0, List.of());
  }
}
