package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
  @TempDir Path dir;

  @Test
  void aReplacedFileHoldsTheNewBytesOwnerOnlyAndLeavesNoTemporary() throws Exception {
    Path file = dir.resolve("state/ledger.json");
    PrivateFiles.replace(file, "old".getBytes(StandardCharsets.UTF_8));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    PrivateFiles.replace(file, "new".getBytes(StandardCharsets.UTF_8));

    assertThat(Files.readString(file)).isEqualTo("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.list(file.getParent())).containsExactly(file);
  }

  @Test
  void aLeftoverTemporaryFromACrashDoesNotStopTheNextWrite() throws Exception {
    Path file = dir.resolve("lines.json");
    Files.writeString(dir.resolve("lines.json.tmp"), "half");

    PrivateFiles.replace(file, "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(Files.readString(file)).isEqualTo("{}");
    assertThat(dir.resolve("lines.json.tmp")).doesNotExist();
  }

  @Test
  void anUnreadableFileIsMovedAsideWithItsBytes() throws Exception {
    Path file = dir.resolve("ledger.json");
    Files.writeString(file, "garbage");

    Path aside = PrivateFiles.moveAside(file);

    assertThat(file).doesNotExist();
    assertThat(aside.getFileName().toString()).startsWith("ledger.json.corrupt-");
    assertThat(Files.readString(aside)).isEqualTo("garbage");
  }
}
