package io.bamqp.proxy.stats.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.bamqp.proxy.aggregation.DownloadSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The download history on disk: one JSON object per line in {@code state.dir/history.jsonl},
 * appended as downloads end and rewritten with only the newest {@code limit} lines once it holds
 * {@link #COMPACT_FACTOR} times that many. A torn or unreadable line (a crash mid-append) is
 * skipped on load.
 *
 * <p>Blocking I/O: call it off the event loop, one call at a time.
 */
final class HistoryFile {
  /** The file's name inside {@code state.dir}. */
  static final String FILE_NAME = "history.jsonl";

  /** The file is compacted once it holds this many times {@code stats.historySize} lines. */
  static final int COMPACT_FACTOR = 2;

  private static final System.Logger LOG = System.getLogger("io.bamqp.stats");

  private final Path file;
  private final int limit;
  private int lines = -1;

  HistoryFile(Path stateDir, int limit) {
    this.file = stateDir.resolve(FILE_NAME);
    this.limit = limit;
  }

  Path path() {
    return file;
  }

  /** The newest {@code limit} downloads in the file, oldest first; none if there is no file. */
  List<DownloadSnapshot> load() {
    if (!Files.exists(file)) {
      lines = 0;
      return List.of();
    }
    List<String> all = read();
    lines = all.size();
    List<DownloadSnapshot> downloads = new ArrayList<>();
    int skipped = 0;
    for (String line : all) {
      try {
        downloads.add(Json.MAPPER.readValue(line, DownloadSnapshot.class));
      } catch (JsonProcessingException torn) {
        skipped++;
      }
    }
    if (skipped > 0) {
      LOG.log(System.Logger.Level.WARNING, "{0}: skipped {1} unreadable line(s)", file, skipped);
    }
    return List.copyOf(downloads.subList(Math.max(0, downloads.size() - limit), downloads.size()));
  }

  /** Appends one download; compacts the file when it has grown past its bound. */
  void append(DownloadSnapshot download) {
    try {
      if (lines < 0) {
        lines = Files.exists(file) ? read().size() : 0;
      }
      Files.createDirectories(file.getParent());
      String line = Json.MAPPER.writeValueAsString(download) + "\n";
      Files.writeString(
          file,
          line,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.WRITE);
      if (++lines >= limit * COMPACT_FACTOR) {
        compact();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Rewrites the file with its newest {@code limit} lines, atomically. */
  private void compact() throws IOException {
    List<String> all = read();
    List<String> kept = all.subList(Math.max(0, all.size() - limit), all.size());
    Path next = file.resolveSibling(FILE_NAME + ".next");
    Files.write(next, kept, StandardCharsets.UTF_8);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    lines = kept.size();
  }

  private List<String> read() {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(line -> !line.isBlank())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
