package io.bamqp.proxy.cli;

import io.bamqp.peer.AuditEntry;
import io.bamqp.peer.AuditLog;
import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.proxy.node.Node;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bamqp audit}: what this node fetched for which neighbor, from the audit log. Each line
 * says whether the entry proves itself (the neighbor's signature over exactly that URL and range).
 */
final class AuditCommand {
  /** How far back {@code audit} looks without {@code --days}. */
  static final int DEFAULT_DAYS = 7;

  private AuditCommand() {}

  static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
    List<String> config = new ArrayList<>();
    int days = DEFAULT_DAYS;
    boolean full = false;
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--config" -> {
          config.add("--config");
          config.add(value(args, ++i));
        }
        case "--days" -> days = days(value(args, ++i));
        case "--full" -> full = true;
        default -> throw new Main.UsageException("unknown audit option '" + args.get(i) + "'");
      }
    }
    BamqpConfig loaded =
        ConfigLoader.load(
            Path.of(IdentityCommands.optionalConfig(config, IdentityCommands.DEFAULT_CONFIG)));
    Path dir = loaded.state().path().resolve(Node.AUDIT_DIR);
    List<AuditEntry> entries = AuditLog.read(dir, Instant.now().minus(Duration.ofDays(days)));
    if (entries.isEmpty()) {
      out.println("no fetches for neighbors in the last " + days + " day(s) (" + dir + ")");
      return Main.OK;
    }
    for (AuditEntry entry : entries) {
      out.printf(
          Locale.ROOT,
          "%s  %s  %-8s  %,14d B  bytes %d-%d  %s  %s%n",
          entry.time(),
          entry.peer(),
          entry.refused() ? "refused" : entry.proves() ? "signed" : "UNPROVEN",
          entry.bytesSent(),
          entry.first(),
          entry.last(),
          full ? entry.url() : withoutQuery(entry.url()),
          entry.outcome());
    }
    return Main.OK;
  }

  private static String withoutQuery(String url) {
    if (url == null) {
      return "-";
    }
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?…";
  }

  private static String value(List<String> args, int i) {
    if (i >= args.size()) {
      throw new Main.UsageException(args.get(i - 1) + " needs a value");
    }
    return args.get(i);
  }

  private static int days(String text) {
    try {
      int days = Integer.parseInt(text);
      if (days >= 1) {
        return days;
      }
    } catch (NumberFormatException notANumber) {
      // Reported below.
    }
    throw new Main.UsageException("--days needs a whole number of days, 1 or more: " + text);
  }
}
