package io.bamqp.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;

/**
 * The node's own state files in {@code state.dir} (the sharing ledger, the metered lines' use):
 * written whole and owner-only, replaced atomically, and moved aside when they cannot be read.
 * Blocking: call off the event loop.
 */
public final class PrivateFiles {
  private PrivateFiles() {}

  /**
   * Replaces {@code file} with {@code bytes}: written to an owner-only ({@code 0600}) temporary
   * beside it, forced to disk, then moved over it atomically, so a crash leaves the old file or the
   * new one, never half of either.
   */
  public static void replace(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
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

  /**
   * Moves an unreadable {@code file} aside to {@code NAME.corrupt-EPOCHSECONDS}, kept for its owner
   * to look at; returns where it went.
   */
  public static Path moveAside(Path file) throws IOException {
    Path aside =
        file.resolveSibling(file.getFileName() + ".corrupt-" + Instant.now().getEpochSecond());
    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
    return aside;
  }

  private static FileAttribute<?>[] ownerOnly(Path path) {
    boolean posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
    return posix
        ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
        }
        : new FileAttribute<?>[0];
  }
}
