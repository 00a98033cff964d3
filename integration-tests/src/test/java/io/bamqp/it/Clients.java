package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real download clients (curl, wget, aria2c) run as processes, and what they saved. */
final class Clients {
  private static final long TIMEOUT_SECONDS = 90;

  private Clients() {}

  /** What a client printed and how it exited. */
  record Outcome(int exitCode, String output) {}

  /** Runs {@code command} to completion (with a deadline) and reports its exit code and output. */
  static Outcome run(List<String> command, Map<String, String> environment) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException missing) {
      throw new AssertionError(
          command.get(0) + " is not installed: run 'apt-get install " + command.get(0) + "'",
          missing);
    }
    boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    assertThat(finished).as(command.get(0) + " finished within " + TIMEOUT_SECONDS + " s").isTrue();
    return new Outcome(process.exitValue(), new String(process.getInputStream().readAllBytes()));
  }

  /** Runs {@code command} and fails the test unless it exits 0. */
  static void succeed(List<String> command, Map<String, String> environment) throws Exception {
    Outcome outcome = run(command, environment);
    assertThat(outcome.exitCode()).as(command.get(0) + " output: " + outcome.output()).isZero();
  }

  /** Downloads {@code url} with curl through {@code proxy} into {@code output}; fails unless 0. */
  static Path curl(String proxy, Path output, String url, String... options) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of("curl", "--silent", "--show-error", "--fail", "--proxy", proxy));
    command.addAll(List.of(options));
    command.addAll(List.of("--output", output.toString(), url));
    succeed(command, Map.of());
    return output;
  }

  static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (var in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * The report of the next aggregated download {@code home} finishes once it has recorded {@code
   * before}: waits for it, since the report lands just after the client's last byte.
   */
  static io.bamqp.proxy.aggregation.SessionReport reportAfter(
      io.bamqp.proxy.node.Node home, int before) throws Exception {
    return Eventually.value(
        "the home reported the download",
        () -> {
          List<io.bamqp.proxy.aggregation.SessionReport> done = home.proxy().recentDownloads();
          return done.size() > before ? done.get(done.size() - 1) : null;
        });
  }
}
