package io.bamqp.proxy.aggregation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.bamqp.security.PrivateFiles;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
      try {
        PrivateFiles.moveAside(file);
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

  /** Replaces the file, owner-only and atomically ({@link PrivateFiles}). */
  void write(YearMonth month, Map<String, Long> usedBytes) throws IOException {
    PrivateFiles.replace(
        file, JSON.writeValueAsBytes(new Content(VERSION, month.toString(), usedBytes)));
  }
}
