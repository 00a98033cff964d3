package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.proxy.aggregation.SessionReport;
import io.bamqp.security.Resolvers;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS mode, the LanCache way, with real dnsmasq resolvers on loopback: the LAN's resolver is
 * configured from {@code bamqp dns} and points a download name at the home node; the node itself
 * finds the real origin through {@code wan.dnsServers}, a second dnsmasq that holds the real
 * record. A client with no proxy setting then downloads from "the origin" and gets it through the
 * node, aggregated. Needs dnsmasq (Debian: dnsmasq-base) and, for the syntax checks, Unbound's
 * unbound-checkconf; skips, naming the package, without them.
 */
class DnsModeIT {
  private static final long FILE = 24 * Content.MIB;
  private static final Duration LATENCY = Duration.ofMillis(10);
  private static final String NAME = "dl.bamqp-test.example";
  private static final String LOOP = "loop.bamqp-test.example";
  private static final String ORIGIN_ADDRESS = "127.0.0.3";

  private final Vertx vertx = Vertx.vertx();
  private final List<Process> processes = new ArrayList<>();
  private Cluster cluster;
  @TempDir Path dir;

  @AfterEach
  void stop() throws Exception {
    for (Process process : processes) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (cluster != null) {
      cluster.close();
    }
    Await.result(vertx.close());
  }

  @Test
  void aClientWithoutProxySettingsGetsTheOriginsBytesAggregatedThroughTheNode() throws Exception {
    int upstream =
        startDnsmasq(
            "upstream",
            List.of(
                "--host-record=" + NAME + "," + ORIGIN_ADDRESS,
                "--host-record=" + LOOP + "," + Cluster.address(0)));
    cluster = dnsModeCluster(upstream, 80, 40, 40);
    Path config = dir.resolve("bamqp.yaml");
    Files.writeString(
        config, "cdn:\n  services: []\n  extraDomains: [" + NAME + ", " + LOOP + "]\n");
    Path overrides = dir.resolve("lan.conf");
    Files.writeString(
        overrides,
        bamqp(
            "dns",
            "--config",
            config.toString(),
            "--format",
            "dnsmasq",
            "--address",
            Cluster.address(0)));
    int lan = startDnsmasq("lan", List.of("--conf-file=" + overrides));

    // The client asks the LAN's resolver and is sent to the node, not to the origin.
    InetAddress[] answer =
        Resolvers.of(List.of(new InetSocketAddress("127.0.0.1", lan))).resolve(NAME);
    assertThat(answer).extracting(InetAddress::getHostAddress).containsExactly(Cluster.address(0));

    Path file = dir.resolve("download.bin");
    Clients.Outcome fetched =
        fetchWithoutProxy(
            NAME,
            cluster.origin().port(),
            answer[0].getHostAddress(),
            "--fail",
            "--output",
            file.toString());

    assertThat(fetched.exitCode()).as("curl: " + fetched.output()).isZero();
    assertThat(Clients.sha256(file)).isEqualTo(Content.ofSize(FILE).sha256Hex());
    SessionReport download = Clients.reportAfter(cluster.node(0), 0);
    assertThat(download.bytes()).isEqualTo(FILE);
    assertThat(download.bytesBySource()).containsKeys("home", cluster.source(1), cluster.source(2));
    download.bytesBySource().values().forEach(bytes -> assertThat(bytes).isPositive());
    // The helpers found the origin through their own wan.dnsServers too.
    assertThat(cluster.origin().stats(Cluster.address(1)).bytesSent()).isPositive();
    String history =
        await("the history lists the download with its service")
            .atMost(Await.DEFAULT_DEADLINE)
            .until(this::downloadsJson, json -> json.contains("\"service\":\"extra\""));
    assertThat(history).contains(NAME);
  }

  @Test
  void aCdnNameThatResolvesBackToTheNodeIsALoopNotAHang() throws Exception {
    int upstream =
        startDnsmasq("upstream", List.of("--host-record=" + LOOP + "," + Cluster.address(0)));
    cluster = dnsModeCluster(upstream, 40, 40);

    // The loop needs the URL's port to be the node's own, as port 80 is in DNS mode.
    Clients.Outcome outcome =
        fetchWithoutProxy(
            LOOP,
            cluster.node(0).proxy().ports().get(1),
            Cluster.address(0),
            "--output",
            "/dev/null",
            "--write-out",
            "%{http_code}");

    assertThat(outcome.output()).as("curl: " + outcome.output()).isEqualTo("508");
  }

  /**
   * Routers whose LAN DNS would point CDN names at them: each has a second listener on its own
   * address (its "port 80", here any free port), resolves origins through the {@code upstream}
   * dnsmasq, and knows the test's names as {@code cdn.extraDomains}.
   */
  private Cluster dnsModeCluster(int upstream, double... mbps) throws Exception {
    Clients.assumeInstalled("curl");
    return Cluster.start(
        vertx,
        TestOrigin.builder().host(ORIGIN_ADDRESS),
        router ->
            router
                .httpPort(0)
                .dnsServers(List.of("127.0.0.1:" + upstream))
                .cdnExtraDomains(List.of(NAME, LOOP)),
        LATENCY,
        "",
        mbps);
  }

  /**
   * curl with no proxy setting, as a console would fetch {@code http://name:port/...} after its DNS
   * answered {@code address}: {@code --connect-to} sends the connection to the home node's second
   * listener (a test cannot take port 80), while the URL and {@code Host} keep the name and {@code
   * urlPort}.
   */
  private Clients.Outcome fetchWithoutProxy(
      String name, int urlPort, String address, String... options) throws Exception {
    int nodePort = cluster.node(0).proxy().ports().get(1);
    List<String> command =
        new ArrayList<>(
            List.of(
                "curl",
                "--silent",
                "--show-error",
                "--noproxy",
                "*",
                "--max-time",
                "60",
                "--connect-to",
                name + ":" + urlPort + ":" + address + ":" + nodePort));
    command.addAll(Arrays.asList(options));
    command.add("http://" + name + ":" + urlPort + "/files/" + FILE);
    return Clients.run(command, Map.of());
  }

  @Test
  void theOverridesPassDnsmasqsAndUnboundsOwnChecks() throws Exception {
    Clients.assumeInstalled("dnsmasq");
    Clients.assumeInstalled("unbound-checkconf");
    Path config = dir.resolve("bamqp.yaml");
    Files.writeString(config, "cdn:\n  extraDomains: [\"*.mirror.example.org\", dl.example.com]\n");
    for (String address : List.of("192.168.1.2", "fd00::2")) {
      Path dnsmasq = dir.resolve("dnsmasq.conf");
      Files.writeString(
          dnsmasq,
          bamqp("dns", "--config", config.toString(), "--format", "dnsmasq", "--address", address));
      Clients.succeed(List.of("dnsmasq", "--test", "--conf-file=" + dnsmasq), Map.of());

      Path included = dir.resolve("bamqp-unbound.conf");
      Files.writeString(
          included,
          bamqp("dns", "--config", config.toString(), "--format", "unbound", "--address", address));
      Path unbound = dir.resolve("unbound.conf");
      Files.writeString(
          unbound,
          "server:\n  chroot: \"\"\n  username: \"\"\n  directory: \""
              + dir
              + "\"\n"
              + "  pidfile: \"\"\ninclude: \""
              + included
              + "\"\n");
      Clients.succeed(List.of("unbound-checkconf", unbound.toString()), Map.of());

      String hosts =
          bamqp("dns", "--config", config.toString(), "--format", "hosts", "--address", address);
      String written = InetAddress.getByName(address).getHostAddress();
      assertThat(hosts.lines().filter(line -> !line.startsWith("#")))
          .isNotEmpty()
          .allMatch(line -> line.matches(java.util.regex.Pattern.quote(written) + " [a-z0-9.-]+"));
      assertThat(hosts).contains(written + " dl.example.com");
    }
  }

  /**
   * Runs the bamqp command line in a JVM of its own; its standard output, or the test fails. Output
   * goes to files, not pipes: no thread has to drain them (a shared pool's threads may all be
   * busy).
   */
  private String bamqp(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add("io.bamqp.proxy.cli.Main");
    command.addAll(Arrays.asList(args));
    Path out = Files.createTempFile(dir, "bamqp-", ".out");
    Path err = Files.createTempFile(dir, "bamqp-", ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    processes.add(process);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("bamqp " + args[0] + " finished").isTrue();
    assertThat(process.exitValue())
        .as("bamqp " + String.join(" ", args) + ": " + new String(Files.readAllBytes(err)))
        .isZero();
    return new String(Files.readAllBytes(out));
  }

  /**
   * Starts dnsmasq on 127.0.0.1 at a free port, answering only from its own records ({@code
   * options}), and waits for its log file to say it started; returns the port.
   */
  private int startDnsmasq(String name, List<String> options) throws Exception {
    Clients.assumeInstalled("dnsmasq");
    int port = freeUdpPort();
    List<String> command =
        new ArrayList<>(
            List.of(
                "dnsmasq",
                "--keep-in-foreground",
                "--no-resolv",
                "--no-hosts",
                "--bind-interfaces",
                "--listen-address=127.0.0.1",
                "--port=" + port,
                "--pid-file=",
                "--log-facility=-",
                "--conf-file=/dev/null"));
    command.addAll(options);
    Path log = dir.resolve(name + "-dnsmasq.log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(process);
    String seen =
        await(name + " dnsmasq starts")
            .atMost(Await.DEFAULT_DEADLINE)
            .until(
                () -> new String(Files.readAllBytes(log)),
                text -> text.contains("started, version") || !process.isAlive());
    assertThat(seen).as(name + " dnsmasq started").contains("started, version");
    return port;
  }

  private String downloadsJson() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + cluster.statsPort() + "/api/downloads"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
