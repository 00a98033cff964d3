package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.PeerId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * mDNS stays on the link it is announced on: two network namespaces with nothing between them do
 * not see each other's nodes; joined by a veth pair, they do. Needs root and {@code ip netns}
 * (iproute2); skips, saying which is missing, otherwise. An integration test: it changes the host's
 * network namespaces and starts JVMs of its own.
 *
 * <p>Found on this kernel: a fresh namespace needs only {@code lo} up for jmdns to work on
 * 127.0.0.1 (no multicast route); over the veth, each end needs {@code multicast on} and a route
 * for 224.0.0.0/4 through it.
 */
@Timeout(value = 100, unit = TimeUnit.SECONDS)
class NamespaceIsolationIT {
  /** A child JVM starts in about 1 s; an announcement takes about 4 s more. */
  private static final Duration SEEN_DEADLINE = Duration.ofSeconds(25);

  private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(10);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String tag = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private final String left = "bamqp-test-" + tag + "-l";
  private final String right = "bamqp-test-" + tag + "-r";
  private final String subnet = "10.254." + ThreadLocalRandom.current().nextInt(1, 255) + ".";

  @Test
  void namespacesDoNotSeeEachOtherUntilAVethPairJoinsThem() throws Exception {
    List<String> created = new ArrayList<>();
    try {
      createNamespaceOrSkip(left, created);
      createNamespaceOrSkip(right, created);
      String a1 = id();
      String a2 = id();
      String b1 = id();
      String b2 = id();
      try (ChildNode a = ChildNode.start(left, "127.0.0.1", a1, a2);
          ChildNode b = ChildNode.start(right, "127.0.0.1", b1, b2)) {
        // Each side sees its own pair: by then the other side's announcements were sent too.
        a.await("SEES " + a1 + " " + a2, SEEN_DEADLINE);
        a.await("SEES " + a2 + " " + a1, SEEN_DEADLINE);
        b.await("SEES " + b1 + " " + b2, SEEN_DEADLINE);
        b.await("SEES " + b2 + " " + b1, SEEN_DEADLINE);

        assertThat(a.lines()).noneMatch(line -> line.contains(b1) || line.contains(b2));
        assertThat(b.lines()).noneMatch(line -> line.contains(a1) || line.contains(a2));
      }

      String leftEnd = "bq" + tag + "l";
      String rightEnd = "bq" + tag + "r";
      ip(
          "link", "add", leftEnd, "netns", left, "type", "veth", "peer", "name", rightEnd, "netns",
          right);
      join(left, leftEnd, subnet + "1");
      join(right, rightEnd, subnet + "2");
      String c = id();
      String d = id();
      try (ChildNode nodeC = ChildNode.start(left, subnet + "1", c);
          ChildNode nodeD = ChildNode.start(right, subnet + "2", d)) {
        nodeC.await("SEES " + c + " " + d, SEEN_DEADLINE);
        nodeD.await("SEES " + d + " " + c, SEEN_DEADLINE);
      }
    } finally {
      for (String ns : created) {
        run("ip", "netns", "del", ns); // takes the veth pair with it
      }
    }
  }

  private void createNamespaceOrSkip(String ns, List<String> created) throws Exception {
    String output;
    try {
      output = run("ip", "netns", "add", ns);
    } catch (IOException e) {
      output = "cannot run ip (apt-get install iproute2): " + e.getMessage();
    }
    if (output != null) {
      Assumptions.assumeTrue(
          false,
          "network namespaces need root (uid 0) and iproute2: `ip netns add` said: " + output);
    }
    created.add(ns);
    ip("netns", "exec", ns, "ip", "link", "set", "lo", "up");
  }

  /** Gives a veth end its address, multicast and the route mDNS needs. */
  private static void join(String ns, String link, String address) throws Exception {
    ip("netns", "exec", ns, "ip", "addr", "add", address + "/24", "dev", link);
    ip("netns", "exec", ns, "ip", "link", "set", link, "multicast", "on");
    ip("netns", "exec", ns, "ip", "link", "set", link, "up");
    ip("netns", "exec", ns, "ip", "route", "add", "224.0.0.0/4", "dev", link);
  }

  private static void ip(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = "ip";
    System.arraycopy(args, 0, command, 1, args.length);
    String failure = run(command);
    assertThat(failure).as(String.join(" ", command)).isNull();
  }

  /** Runs a command; null when it succeeded, else what it printed. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(COMMAND_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      return "timed out";
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output.strip();
  }

  /** A random peer ID, so parallel runs on one host never mistake each other's nodes. */
  private static String id() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return PeerId.ofPublicKey(key).toString();
  }
}
