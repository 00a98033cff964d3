package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.testbed.Await;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Real download clients (curl, wget, aria2c) run as processes, and what they saved. */
final class Clients {
  private static final long TIMEOUT_SECONDS = 90;

  /** The Debian package of each client whose name differs from its command. */
  private static final Map<String, String> PACKAGES =
      Map.of("aria2c", "aria2", "dnsmasq", "dnsmasq-base", "unbound-checkconf", "unbound");

  private Clients() {}

  /** What a client printed and how it exited. */
  record Outcome(int exitCode, String output) {}

  /**
   * Runs {@code command} to completion (with a deadline) and reports its exit code and output.
   * Skips the test (an aborted assumption, not a failure) when the client is not installed; CI
   * installs every client, so there a skip never hides a failure.
   */
  static Outcome run(List<String> command, Map<String, String> environment) throws Exception {
    assumeInstalled(command.get(0));
    // Output goes to a file, not a pipe: a chatty program never blocks on a full pipe.
    Path output = Files.createTempFile("bamqp-client-", ".out");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!finished) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      assertThat(finished)
          .as(
              command.get(0)
                  + " finished within "
                  + TIMEOUT_SECONDS
                  + " s: "
                  + new String(Files.readAllBytes(output)))
          .isTrue();
      return new Outcome(process.exitValue(), new String(Files.readAllBytes(output)));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** Skips the calling test unless {@code program} is an executable on the {@code PATH}. */
  static void assumeInstalled(String program) {
    boolean found =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter(dir -> !dir.isEmpty())
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    Assumptions.assumeTrue(
        found,
        () ->
            program
                + " is not installed: install it with 'apt-get install "
                + PACKAGES.getOrDefault(program, program)
                + "' (.ci/run does) to run this test");
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
    return await("the home reported the download")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(
            () -> {
              List<io.bamqp.proxy.aggregation.SessionReport> done = home.proxy().recentDownloads();
              return done.size() > before ? done.get(done.size() - 1) : null;
            },
            Objects::nonNull);
  }
}
