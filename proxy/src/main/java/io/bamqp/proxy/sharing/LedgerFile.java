package io.bamqp.proxy.sharing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;

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

  /** Replaces the file with {@code bytes} atomically: a crash leaves the old file or the new. */
  void write(byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling(NAME + ".tmp");
    Files.deleteIfExists(temp);
    try (FileChannel channel =
        FileChannel.open(
            temp,
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            ownerOnly(temp))) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static FileAttribute<?>[] ownerOnly(Path path) {
    boolean posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
    return posix
        ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
        }
        : new FileAttribute<?>[0];
  }

  private void moveAside(Exception cause) {
    Path aside = file.resolveSibling(NAME + ".corrupt-" + Instant.now().getEpochSecond());
    try {
      Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
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
