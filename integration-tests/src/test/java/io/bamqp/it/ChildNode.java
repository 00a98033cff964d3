package io.bamqp.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link NamespaceNode} JVM started in a network namespace ({@code ip netns exec}); its output
 * lines are kept and can be awaited with a deadline. Closing kills it.
 */
final class ChildNode implements AutoCloseable {
  /** The child's own backstop: it exits by itself after this, whatever the test does. */
  static final Duration LIFETIME = Duration.ofSeconds(60);

  private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

  private record Waiter(String line, CompletableFuture<Void> seen) {}

  private final String name;
  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

  private ChildNode(String name, Process process) {
    this.name = name;
    this.process = process;
    Thread reader = new Thread(this::read, "child-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code NamespaceNode address ids...} inside namespace {@code ns}. */
  static ChildNode start(String ns, String address, String... ids) throws IOException {
    List<String> command = new ArrayList<>();
    command.addAll(List.of("ip", "netns", "exec", ns));
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(NamespaceNode.class.getName());
    command.add(address);
    command.add(Long.toString(LIFETIME.toSeconds()));
    command.addAll(List.of(ids));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    return new ChildNode(ns + "@" + address, process);
  }

  /** Waits until the child printed exactly {@code line}. */
  void await(String line, Duration deadline) throws InterruptedException {
    Waiter waiter = new Waiter(line, new CompletableFuture<>());
    waiters.add(waiter);
    if (lines.contains(line)) {
      waiter.seen().complete(null);
    }
    try {
      waiter.seen().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      fail(
          "%s did not print '%s' within %s s; it printed: %s",
          name, line, deadline.toSeconds(), lines);
    }
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  private void read() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines.add(line);
        for (Waiter waiter : waiters) {
          if (waiter.line().equals(line)) {
            waiter.seen().complete(null);
          }
        }
      }
    } catch (IOException e) {
      // the child is gone
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
