package io.bamqp.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingLogFileTest {
  private static final Formatter PLAIN =
      new Formatter() {
        @Override
        public String format(LogRecord record) {
          return record.getMessage() + "\n";
        }
      };

  @Test
  void aFullFileMovesToDotOneAndAtMostTwiceTheLimitStaysOnDisk(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bamqp.log");
    RotatingLogFile log = RotatingLogFile.open(file, 1000, PLAIN);
    try {
      for (int i = 0; i < 100; i++) {
        log.publish(new LogRecord(Level.INFO, String.format("line %03d %s", i, "x".repeat(40))));
      }
      log.flush();
    } finally {
      log.shut();
    }

    Path previous = dir.resolve("bamqp.log.1");
    assertThat(Files.size(file)).isPositive().isLessThanOrEqualTo(1000);
    assertThat(Files.size(previous)).isLessThanOrEqualTo(1000).isGreaterThan(900);
    assertThat(Files.list(dir)).hasSize(2);
    assertThat(Files.readString(file)).endsWith("line 099 " + "x".repeat(40) + "\n");
    String older = Files.readString(previous);
    String newer = Files.readString(file);
    int lastOld = Integer.parseInt(older.substring(older.lastIndexOf("line ") + 5).substring(0, 3));
    assertThat(newer).startsWith(String.format("line %03d", lastOld + 1));
  }

  @Test
  void aRestartAppendsToTheFileItFinds(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("bamqp.log"), "before\n");
    RotatingLogFile log = RotatingLogFile.open(file, 1 << 20, PLAIN);
    log.publish(new LogRecord(Level.INFO, "after"));
    log.close();
    log.publish(new LogRecord(Level.INFO, "stop line, written after the JDK's logging reset"));
    log.shut();

    assertThat(Files.readAllLines(file))
        .containsExactly("before", "after", "stop line, written after the JDK's logging reset");
  }
}
