package io.bamqp.proxy.aggregation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.YearMonth;
import java.util.Map;

/**
 * {@code state.dir/lines.json}: what each metered own line carried this month, read at start and
 * written whole (temp file, then an atomic move), as the sharing ledger is. A file of another month
 * counts as empty; one that cannot be read is moved aside with a log line: a lost count costs the
 * cap one month's accuracy, never the node. Blocking: call off the event loop.
 */
final class LineUsageFile {
  /** The file's name in {@code state.dir}. */
  static final String NAME = "lines.json";

  /** The format written; a file of another version is moved aside. */
  static final int VERSION = 1;

  private static final Logger LOG = System.getLogger("io.bamqp.lines");

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The file's shape: the month ({@code 2026-11}) and bytes per line name. */
  record Content(int version, String month, Map<String, Long> usedBytes) {}

  private final Path file;

  LineUsageFile(Path stateDir) {
    this.file = stateDir.resolve(NAME);
  }

  /** Bytes per line name used in {@code month}; empty if none is saved for that month. */
  Map<String, Long> read(YearMonth month) {
    try {
      Content content = JSON.readValue(Files.readAllBytes(file), Content.class);
      if (content == null || content.version() != VERSION || content.month() == null) {
        throw new IOException("not a version " + VERSION + " line usage file");
      }
      if (!YearMonth.parse(content.month()).equals(month) || content.usedBytes() == null) {
        return Map.of();
      }
      return Map.copyOf(content.usedBytes());
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (IOException | RuntimeException e) {
      Path aside = file.resolveSibling(NAME + ".corrupt-" + System.currentTimeMillis() / 1000);
      try {
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException moving) {
        // Logged below; the count starts again either way.
      }
      LOG.log(
          Level.WARNING,
          "{0} is unreadable ({1}); moved aside, counting metered lines from zero",
          file,
          String.valueOf(e.getMessage()).lines().findFirst().orElse("?"));
      return Map.of();
    }
  }

  /** Replaces the file atomically: a crash leaves the old file or the new. */
  void write(YearMonth month, Map<String, Long> usedBytes) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling(NAME + ".tmp");
    Files.write(temp, JSON.writeValueAsBytes(new Content(VERSION, month.toString(), usedBytes)));
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
