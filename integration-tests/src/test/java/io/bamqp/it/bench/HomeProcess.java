package io.bamqp.it.bench;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The home node as a JVM of its own ({@code java -jar bamqp.jar run --config FILE}), so that its
 * CPU time can be read from {@code /proc/PID/stat} apart from the origin and the helpers.
 */
final class HomeProcess implements AutoCloseable {
  private static final long START_TIMEOUT_MILLIS = 30_000;
  private static final long POLL_MILLIS = 100;
  private static final long STOP_TIMEOUT_SECONDS = 10;

  /** Fields 14 and 15 of /proc/PID/stat, counted after the ")" that ends the command name. */
  private static final int UTIME_AFTER_NAME = 11;

  private static final double CLOCK_TICKS_PER_SECOND = clockTicks();

  private final Process process;
  private final Path log;

  private HomeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Writes {@code yaml} into {@code dir}, starts the node and waits until its proxy accepts. */
  static HomeProcess start(Path jar, Path dir, String yaml, int proxyPort) throws Exception {
    Path config = dir.resolve("home.yaml");
    Files.writeString(config, yaml);
    Path log = dir.resolve("home.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(java, "-jar", jar.toString(), "run", "--config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    HomeProcess home = new HomeProcess(process, log);
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "bench-stop-home"));
    home.awaitListening(proxyPort);
    return home;
  }

  private void awaitListening(int port) throws Exception {
    try {
      await()
          .atMost(Duration.ofMillis(START_TIMEOUT_MILLIS))
          .pollInterval(Duration.ofMillis(POLL_MILLIS))
          .until(() -> listening(port));
    } catch (ConditionTimeoutException e) {
      close();
      throw new IllegalStateException("the home node did not listen within 30 s; see " + log, e);
    }
  }

  private boolean listening(int port) {
    if (!process.isAlive()) {
      throw new IllegalStateException("the home node exited; see " + log);
    }
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress("127.0.0.1", port), (int) POLL_MILLIS);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  /** User plus system CPU time the home JVM has used so far. */
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
