package io.bamqp.distribution;

import static org.awaitility.Awaitility.await;

import io.bamqp.testbed.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A command of the runtime image ({@code bin/bamqp ...}) run as a real process, its output in a
 * file (never a pipe: nothing has to drain it). Each process runs under coreutils' {@code timeout},
 * so it ends by itself even if the test JVM dies; {@link #close} stops it at once.
 */
final class ImageProcess implements AutoCloseable {
  /** The backstop: a process of the image lives at most this long, whatever the test does. */
  static final Duration LIFETIME = Duration.ofSeconds(180);

  private static final Duration EXIT_WAIT = Duration.ofSeconds(15);

  private final String name;
  private final Process process;
  private final Path output;

  private ImageProcess(String name, Process process, Path output) {
    this.name = name;
    this.process = process;
    this.output = output;
  }

  /** Starts {@code image/bin/bamqp args...}; its stdout and stderr go to {@code dir/name.log}. */
  static ImageProcess start(
      Path image, Path dir, String name, Map<String, String> environment, String... args)
      throws IOException {
    return startProgram(image.resolve("bin/bamqp"), dir, name, environment, args);
  }

  /** Starts {@code program args...} (a script of the image) the same way. */
  static ImageProcess startProgram(
      Path program, Path dir, String name, Map<String, String> environment, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.addAll(List.of("timeout", "-k", "5", Long.toString(LIFETIME.toSeconds())));
    command.add(program.toString());
    command.addAll(List.of(args));
    Path output = dir.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    // No Java of the machine's: the image must bring its own.
    builder.environment().remove("JAVA_HOME");
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().remove("JDK_JAVA_OPTIONS");
    builder.environment().put("PATH", "/usr/bin:/bin");
    builder.environment().putAll(environment);
    return new ImageProcess(name, builder.start(), output);
  }

  /** Runs {@code bin/bamqp args...} to its end and answers its exit code and output. */
  static Outcome run(Path image, Path dir, String name, String... args) throws Exception {
    try (ImageProcess process = start(image, dir, name, Map.of(), args)) {
      return process.outcome(Await.DEFAULT_DEADLINE.multipliedBy(2));
    }
  }

  /** How a finished command of the image exited and what it printed. */
  record Outcome(int exitCode, String output) {}

  /** Waits for the process to end by itself within {@code deadline}. */
  Outcome outcome(Duration deadline) throws Exception {
    if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " did not end within " + deadline + ": " + output());
    }
    return new Outcome(process.exitValue(), output());
  }

  /** Everything it printed so far. */
  String output() throws IOException {
    return Files.readString(output, StandardCharsets.UTF_8);
  }

  /**
   * Waits until a line of its output matches {@code pattern} and answers the match; fails (with the
   * output) when the process ended first or the deadline passed.
   */
  Matcher awaitLine(String what, Pattern pattern) throws IOException {
    try {
      Optional<Matcher> found =
          await(name + ": " + what)
              .atMost(Await.DEFAULT_DEADLINE.multipliedBy(2))
              .until(
                  () -> {
                    Optional<Matcher> match = find(pattern);
                    if (match.isEmpty() && !process.isAlive()) {
                      throw new AssertionError(
                          name
                              + " ended ("
                              + process.exitValue()
                              + ") before "
                              + what
                              + ":\n"
                              + output());
                    }
                    return match;
                  },
                  Optional::isPresent);
      return found.orElseThrow();
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; " + name + " printed:\n" + output(), e);
    }
  }

  private Optional<Matcher> find(Pattern pattern) throws IOException {
    for (String line : output().split("\n", -1)) {
      Matcher matcher = pattern.matcher(line);
      if (matcher.find()) {
        return Optional.of(matcher);
      }
    }
    return Optional.empty();
  }

  /**
   * The environment its JVM runs with, one {@code NAME=value} each ({@code /proc}, Linux): the JVM
   * that {@code bin/bamqp} execs under {@code timeout}.
   */
  List<String> jvmEnvironment() throws IOException {
    ProcessHandle jvm =
        process
            .toHandle()
            .children()
            .findFirst()
            .orElseThrow(() -> new IllegalStateException(name + " runs no JVM"));
    try (var in = Files.newInputStream(Path.of("/proc", Long.toString(jvm.pid()), "environ"))) {
      return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\0"));
    }
  }

  /** Stops it with SIGTERM (the node's clean stop), then kills what is left. */
  @Override
  public void close() throws InterruptedException {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    process.destroy();
    if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
    for (ProcessHandle child : tree) {
      child.destroyForcibly();
    }
  }
}
