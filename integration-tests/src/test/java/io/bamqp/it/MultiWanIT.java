package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One router with two Internet lines of its own ({@code wan.lines}) aggregates one download across
 * both, on real kernel TCP: a "router" network namespace with two WAN veths, each shaped by {@code
 * tc tbf} at a different rate on the origin's side, routed by {@code deploy/multiwan.sh} (a rule
 * and a table per line), an nginx origin in a namespace of its own, and the node as a separate JVM
 * inside the router namespace. curl downloads through the proxy; the file must arrive byte for byte
 * and each line's shaper must have carried a share of it.
 *
 * <p>Needs root, iproute2 ({@code ip}, {@code tc}), nginx and curl; skips, saying which is missing,
 * otherwise. Namespaces carry a random suffix and are deleted even when the test fails.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class MultiWanIT {
  private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(20);
  private static final Duration START_DEADLINE = Duration.ofSeconds(60);
  private static final long SIZE = 24L << 20;
  private static final int FAST_MBIT = 40;
  private static final int SLOW_MBIT = 20;

  private final String tag = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private final String router = "bamqp-mw-" + tag + "-r";
  private final String originNs = "bamqp-mw-" + tag + "-o";
  private final String net = "10." + ThreadLocalRandom.current().nextInt(160, 250) + ".";
  private final String originIp = net + "0.1";
  private final List<String> namespaces = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  @TempDir Path dir;

  @Test
  void oneDownloadIsSplitAcrossTheRoutersTwoLinesByteExact() throws Exception {
    skipUnlessAvailable();
    try {
      buildTestBed();
      Path file = dir.resolve("www/file.bin");
      Files.createDirectories(file.getParent());
      byte[] content = new byte[(int) SIZE];
      new Random(17).nextBytes(content);
      Files.write(file, content);
      startOrigin();
      startNode();

      long fastBefore = sentBytes("a");
      long slowBefore = sentBytes("b");
      Path out = dir.resolve("out.bin");
      String curl =
          run(
              "ip",
              "netns",
              "exec",
              router,
              "curl",
              "-sS",
              "--fail",
              "--max-time",
              "60",
              "-x",
              "http://127.0.0.1:3128",
              "-o",
              out.toString(),
              "-w",
              "%{size_download}",
              "http://" + originIp + "/file.bin");

      assertThat(curl).isEqualTo(Long.toString(SIZE));
      assertThat(sha256(out)).isEqualTo(sha256(file));
      long fast = sentBytes("a") - fastBefore;
      long slow = sentBytes("b") - slowBefore;
      assertThat(fast).as("bytes over the %d Mbit/s line", FAST_MBIT).isGreaterThan(SIZE / 4);
      assertThat(slow).as("bytes over the %d Mbit/s line", SLOW_MBIT).isGreaterThan(SIZE / 8);
      assertThat(fast + slow).isLessThan(SIZE * 3 / 2);
      String downloads =
          run("ip", "netns", "exec", router, "curl", "-sS", "http://127.0.0.1:8088/api/downloads");
      assertThat(downloads).contains("\"name\":\"fibre\"").contains("\"name\":\"dsl\"");
    } finally {
      tearDown();
    }
  }

  private void skipUnlessAvailable() throws Exception {
    for (String tool : List.of("ip", "tc", "nginx", "curl")) {
      Assumptions.assumeTrue(
          onPath(tool), tool + " is not installed (apt-get install iproute2 nginx-light curl)");
    }
    String added = tryRun("ip", "netns", "add", router);
    Assumptions.assumeTrue(
        added == null, "network namespaces need root (uid 0): `ip netns add` said: " + added);
    namespaces.add(router);
  }

  /**
   * Router: wan1 (10.N.1.2) and wan2 (10.N.2.2); origin: their peers (10.N.1.1, 10.N.2.1), the file
   * server on 10.N.0.1, and the shapers on its side (downloads flow origin to router).
   */
  private void buildTestBed() throws Exception {
    run("ip", "netns", "add", originNs);
    namespaces.add(originNs);
    for (String ns : List.of(router, originNs)) {
      run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
    }
    run("ip", "netns", "exec", originNs, "ip", "addr", "add", originIp + "/32", "dev", "lo");
    String[][] lines = {{"a", "1", "wan1", "" + FAST_MBIT}, {"b", "2", "wan2", "" + SLOW_MBIT}};
    for (String[] line : lines) {
      String end = "bq" + tag + line[0];
      run(
          "ip", "link", "add", end, "netns", originNs, "type", "veth", "peer", "name", line[2],
          "netns", router);
      run(
          "ip",
          "netns",
          "exec",
          originNs,
          "ip",
          "addr",
          "add",
          net + line[1] + ".1/24",
          "dev",
          end);
      run("ip", "netns", "exec", originNs, "ip", "link", "set", end, "up");
      run(
          "ip",
          "netns",
          "exec",
          router,
          "ip",
          "addr",
          "add",
          net + line[1] + ".2/24",
          "dev",
          line[2]);
      run("ip", "netns", "exec", router, "ip", "link", "set", line[2], "up");
      int burst = Math.max(16_000, Integer.parseInt(line[3]) * 1_000_000 / 8 / 250);
      run(
          "ip",
          "netns",
          "exec",
          originNs,
          "tc",
          "qdisc",
          "add",
          "dev",
          end,
          "root",
          "tbf",
          "rate",
          line[3] + "mbit",
          "burst",
          Integer.toString(burst),
          "latency",
          "20ms");
    }
    // The primary line is the main table's default route; the script routes each line's address.
    run("ip", "netns", "exec", router, "ip", "route", "add", "default", "via", net + "1.1");
    Path script = Path.of("..", "deploy", "multiwan.sh").toAbsolutePath().normalize();
    run(
        "ip",
        "netns",
        "exec",
        router,
        "sh",
        script.toString(),
        "up",
        "101:wan1:" + net + "1.2:" + net + "1.1",
        "102:wan2:" + net + "2.2:" + net + "2.1");
    String rules = run("ip", "netns", "exec", router, "ip", "rule", "show");
    assertThat(rules).contains("from " + net + "2.2 lookup 102");
  }

  private void startOrigin() throws Exception {
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(
        conf,
        """
        daemon off;
        user root;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/nginx-error.log warn;
        events { worker_connections 256; }
        http {
          access_log off;
          sendfile on;
          server { listen %2$s:80; root %1$s/www; }
        }
        """
            .formatted(dir, originIp));
    start(
        "nginx",
        "ip",
        "netns",
        "exec",
        originNs,
        "nginx",
        "-c",
        conf.toString(),
        "-e",
        dir.resolve("nginx-error.log").toString());
    await("nginx listening")
        .atMost(START_DEADLINE)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                tryRun(
                        "ip",
                        "netns",
                        "exec",
                        router,
                        "curl",
                        "-sS",
                        "-o",
                        "/dev/null",
                        "--fail",
                        "-r",
                        "0-0",
                        "http://" + originIp + "/file.bin")
                    == null);
  }

  private void startNode() throws Exception {
    Path config = dir.resolve("bamqp.yaml");
    Files.writeString(
        config,
        """
        proxy:
          listen: 127.0.0.1:3128
          allowedClients: [127.0.0.0/8]
        wan:
          lines:
            - {name: fibre, bindAddress: %1$s1.2, rateMbps: %3$d}
            - {name: dsl, bindAddress: %1$s2.2, rateMbps: %4$d}
        aggregation: {minBytes: 1MiB}
        peer: {listen: 127.0.0.1:7432}
        discovery: {mdns: false}
        security: {allowDestinations: [%2$s/32]}
        stats: {listen: 127.0.0.1:8088}
        state: {dir: %5$s}
        """
            .formatted(net, originIp, FAST_MBIT, SLOW_MBIT, dir.resolve("state")));
    List<String> java =
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            "io.bamqp.proxy.cli.Main");
    List<String> keygen = new ArrayList<>(List.of("ip", "netns", "exec", router));
    keygen.addAll(java);
    keygen.addAll(List.of("keygen", "--config", config.toString()));
    run(keygen.toArray(String[]::new));
    List<String> node = new ArrayList<>(List.of("ip", "netns", "exec", router));
    node.addAll(java);
    node.addAll(List.of("run", "--config", config.toString()));
    start("node", node.toArray(String[]::new));
    await("the node's statistics page")
        .atMost(START_DEADLINE)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                tryRun(
                        "ip",
                        "netns",
                        "exec",
                        router,
                        "curl",
                        "-sS",
                        "--fail",
                        "-o",
                        "/dev/null",
                        "http://127.0.0.1:8088/api/stats")
                    == null);
  }

  /** Bytes the origin side's shaper of line {@code a} or {@code b} has sent toward the router. */
  private long sentBytes(String line) throws Exception {
    String stats =
        run("ip", "netns", "exec", originNs, "tc", "-s", "qdisc", "show", "dev", "bq" + tag + line);
    Matcher sent = Pattern.compile("Sent (\\d+) bytes").matcher(stats);
    assertThat(sent.find()).as(stats).isTrue();
    return Long.parseLong(sent.group(1));
  }

  private void start(String name, String... command) throws IOException {
    Path log = dir.resolve(name + ".log");
    processes.add(
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
  }

  private void tearDown() throws Exception {
    for (Process process : processes) {
      process.destroy();
    }
    for (Process process : processes) {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    for (String ns : namespaces) {
      tryRun("ip", "netns", "del", ns); // takes the veth pairs with it
    }
  }

  private static boolean onPath(String tool) {
    for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(directory, tool))) {
        return true;
      }
    }
    return Files.isExecutable(Path.of("/usr/sbin", tool))
        || Files.isExecutable(Path.of("/sbin", tool));
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        sha.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** Runs a command that must succeed; returns its output. */
  private String run(String... command) throws Exception {
    Result result = exec(command);
    assertThat(result.exit())
        .as("%s said: %s", String.join(" ", command), result.output())
        .isZero();
    return result.output();
  }

  /** Runs a command; null when it succeeded, else what it said. */
  private String tryRun(String... command) throws Exception {
    Result result = exec(command);
    return result.exit() == 0 ? null : "exit " + result.exit() + ": " + result.output().strip();
  }

  private record Result(int exit, String output) {}

  private Result exec(String... command) throws Exception {
    Path output = Files.createTempFile(dir, "cmd", ".out");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!process.waitFor(COMMAND_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      return new Result(-1, "timed out after " + COMMAND_DEADLINE.toSeconds() + " s");
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    Files.delete(output);
    return new Result(process.exitValue(), text);
  }
}
