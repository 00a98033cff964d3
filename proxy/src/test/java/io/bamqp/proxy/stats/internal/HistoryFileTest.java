package io.bamqp.proxy.stats.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.proxy.aggregation.DownloadSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFileTest {
  @TempDir Path state;

  static DownloadSnapshot download(String id) {
    return DownloadSnapshot.notAggregated(
        id,
        "example.com:80/file.iso",
        "debian",
        1_700_000_000_000L,
        2000,
        1 << 24,
        1 << 24,
        6_250_000,
        "weak ETag",
        true);
  }

  private static List<String> ids(List<DownloadSnapshot> downloads) {
    return downloads.stream().map(DownloadSnapshot::id).toList();
  }

  @Test
  void aRestartLoadsTheNewestDownloadsUpToTheBound() {
    HistoryFile file = new HistoryFile(state, 3);
    for (int i = 1; i <= 7; i++) {
      file.append(download("d" + i));
    }

    List<DownloadSnapshot> loaded = new HistoryFile(state, 3).load();

    assertThat(ids(loaded)).containsExactly("d5", "d6", "d7");
    assertThat(loaded.get(2)).isEqualTo(download("d7"));
  }

  @Test
  void theFileIsCompactedOnceItHoldsTwiceTheBound() throws Exception {
    HistoryFile file = new HistoryFile(state, 3);
    for (int i = 1; i <= 20; i++) {
      file.append(download("d" + i));
      assertThat(Files.readAllLines(file.path())).hasSizeLessThan(3 * HistoryFile.COMPACT_FACTOR);
    }
    assertThat(ids(new HistoryFile(state, 3).load())).containsExactly("d18", "d19", "d20");
  }

  @Test
  void aTornLineFromACrashIsSkipped() throws Exception {
    HistoryFile file = new HistoryFile(state, 10);
    file.append(download("d1"));
    Files.writeString(file.path(), "{\"id\":\"d2\",\"url\":", StandardOpenOption.APPEND);

    assertThat(ids(new HistoryFile(state, 10).load())).containsExactly("d1");
  }

  @Test
  void noFileMeansAnEmptyHistory() {
    assertThat(new HistoryFile(state.resolve("never-written"), 10).load()).isEmpty();
  }
}
