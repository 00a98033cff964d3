package io.bamqp.it.bench;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A node as a JVM of its own ({@code java [JVM_ARGS] -jar bamqp.jar run --config FILE}), so that
 * its CPU time, descriptors, threads and memory can be read from {@code /proc/PID} apart from the
 * runner's, and so that it can be killed ({@code SIGKILL}) like a router losing power. Its output
 * goes to {@code NAME.log}, appended across restarts.
 */
final class NodeProcess implements AutoCloseable {
  /** A JVM starts in a second or two, but far slower on a loaded machine (the soak's case). */
  private static final long START_TIMEOUT_MILLIS = 120_000;

  private static final long POLL_MILLIS = 100;
  private static final long STOP_TIMEOUT_SECONDS = 10;

  /** Fields 14 and 15 of /proc/PID/stat, counted after the ")" that ends the command name. */
  private static final int UTIME_AFTER_NAME = 11;

  private static final double CLOCK_TICKS_PER_SECOND = clockTicks();

  private final String name;
  private final Process process;
  private final Path log;

  private NodeProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Writes {@code yaml} into {@code dir/NAME.yaml}, starts the node with {@code jvmArgs} and waits
   * until it accepts on {@code port} (its proxy or its peer port).
   */
  static NodeProcess start(
      Path jar, Path dir, String name, String yaml, List<String> jvmArgs, int port)
      throws Exception {
    Path config = dir.resolve(name + ".yaml");
    Files.writeString(config, yaml);
    Path log = dir.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.addAll(List.of("-jar", jar.toString(), "run", "--config", config.toString()));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    NodeProcess node = new NodeProcess(name, process, log);
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "bench-stop-" + name));
    node.awaitListening(port);
    return node;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /** {@code SIGKILL}: no shutdown, the kernel closes its sockets (a router losing power). */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  private void awaitListening(int port) throws Exception {
    try {
      await()
          .atMost(Duration.ofMillis(START_TIMEOUT_MILLIS))
          .pollInterval(Duration.ofMillis(POLL_MILLIS))
          .until(() -> listening(port));
    } catch (ConditionTimeoutException e) {
      close();
      throw new IllegalStateException(
          name + " did not listen within " + START_TIMEOUT_MILLIS / 1000 + " s; see " + log, e);
    }
  }

  private boolean listening(int port) {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited; see " + log);
    }
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress("127.0.0.1", port), (int) POLL_MILLIS);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  /** User plus system CPU time the JVM has used so far. */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks =
        Long.parseLong(fields[UTIME_AFTER_NAME]) + Long.parseLong(fields[UTIME_AFTER_NAME + 1]);
    return ticks / CLOCK_TICKS_PER_SECOND;
  }

  private static double clockTicks() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
      String out = new String(getconf.getInputStream().readAllBytes()).trim();
      getconf.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return Double.parseDouble(out);
    } catch (IOException | InterruptedException | NumberFormatException e) {
      throw new IllegalStateException("cannot read CLK_TCK with getconf", e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
