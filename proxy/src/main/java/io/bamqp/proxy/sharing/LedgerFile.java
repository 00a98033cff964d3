package io.bamqp.proxy.sharing;

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
import java.time.LocalDate;
import java.util.Map;

/**
 * {@code state.dir/ledger.json}: read at start, written whole (temp file, then an atomic move), and
 * readable by the owner only. A file that cannot be read is moved aside with a log line and the
 * ledger starts empty: a lost ledger costs statistics, never the node. Blocking: call off the event
 * loop.
 */
final class LedgerFile {
  /** The file's name in {@code state.dir}. */
  static final String NAME = "ledger.json";

  /** The format written; a file of another version is moved aside. */
  static final int VERSION = 1;

  private static final Logger LOG = System.getLogger("io.bamqp.sharing");

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The file's shape. */
  record Content(int version, String day, Map<String, Balance> peers) {}

  private final Path file;

  LedgerFile(Path stateDir) {
    this.file = stateDir.resolve(NAME);
  }

  Path path() {
    return file;
  }

  /** The saved ledger, or an empty one on {@code today} if there is none or it is unreadable. */
  LedgerSnapshot read(LocalDate today) {
    try {
      Content content = JSON.readValue(Files.readAllBytes(file), Content.class);
      if (content == null || content.version() != VERSION) {
        throw new IOException("not a version " + VERSION + " ledger");
      }
      return new LedgerSnapshot(
          LocalDate.parse(content.day()), content.peers() == null ? Map.of() : content.peers());
    } catch (NoSuchFileException e) {
      return LedgerSnapshot.empty(today);
    } catch (IOException | RuntimeException e) {
      moveAside(e);
      return LedgerSnapshot.empty(today);
    }
  }

  /** The bytes {@link #write} stores for {@code snapshot}. */
  static byte[] encode(LedgerSnapshot snapshot) {
    try {
      return JSON.writeValueAsBytes(
          new Content(VERSION, snapshot.day().toString(), snapshot.peers()));
    } catch (IOException e) {
      throw new IllegalStateException("a ledger always encodes", e);
    }
  }

  /** Replaces the file with {@code bytes}, owner-only and atomically ({@link PrivateFiles}). */
  void write(byte[] bytes) throws IOException {
    PrivateFiles.replace(file, bytes);
  }

  private void moveAside(Exception cause) {
    try {
      Path aside = PrivateFiles.moveAside(file);
      LOG.log(
          Level.WARNING,
          "{0} is unreadable ({1}); moved aside to {2}, starting a new ledger",
          file,
          firstLine(cause),
          aside.getFileName());
    } catch (IOException e) {
      LOG.log(
          Level.WARNING,
          "{0} is unreadable ({1}) and could not be moved aside ({2}); starting a new ledger",
          file,
          firstLine(cause),
          e.getMessage());
    }
  }

  private static String firstLine(Exception cause) {
    String message = String.valueOf(cause.getMessage());
    return message.lines().findFirst().orElse(cause.getClass().getSimpleName());
  }
}
