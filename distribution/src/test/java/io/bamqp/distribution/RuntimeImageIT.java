package io.bamqp.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.Line;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime image as a box without Java would run it: {@code bin/bamqp} from {@code
 * distribution/target/bamqp-<version>/}, real processes on loopback. Two nodes of the image (a home
 * and a helper that shares with it) pair over mutual TLS, find the test origin by name through
 * {@code wan.dnsServers} (JNDI DNS, the module jdeps cannot see), and carry a download that curl
 * fetches through the home's proxy; the bytes must be the origin's.
 */
class RuntimeImageIT {
  private static final Path IMAGE = Path.of(System.getProperty("bamqp.image", "missing"));
  private static final long FILE = 16 * Content.MIB;
  private static final String ORIGIN_NAME = "files.bamqp.test";
  private static final String HOME = "127.0.0.11";
  private static final String HELPER = "127.0.0.12";
  private static final Pattern PEER_ID = Pattern.compile("^([A-Z2-7]{8}(?:-[A-Z2-7]{8}){3})$");
  private static final Pattern STARTED =
      Pattern.compile(
          " started as peer ID \\S+: proxy on 127\\.0\\.0\\.1:(\\d+), peers on 127\\.0\\.0\\.1:(\\d+),");

  private final Vertx vertx = Vertx.vertx();
  private final List<ImageProcess> nodes = new ArrayList<>();
  private TestOrigin origin;
  private TinyDns dns;
  @TempDir Path dir;

  @AfterEach
  void stop() throws Exception {
    for (ImageProcess node : nodes) {
      node.close();
    }
    if (dns != null) {
      dns.close();
    }
    if (origin != null) {
      Await.result(origin.close());
    }
    Await.result(vertx.close());
  }

  @Test
  void theImagesRuntimeHasOnlyTheListedModulesAndStartsFromItsCdsArchive() throws Exception {
    assertThat(IMAGE.resolve("bin/bamqp")).isExecutable();
    List<String> modules =
        new ProcessBuilder(IMAGE.resolve("runtime/bin/java").toString(), "--list-modules")
            .redirectErrorStream(true)
            .start()
            .inputReader()
            .lines()
            .map(line -> line.replaceAll("@.*", ""))
            .toList();
    // The listed roots and what they require (java.naming brings java.security.sasl), not the
    // modules jdeps names for optional code only.
    assertThat(modules)
        .containsAll(Arrays.asList(System.getProperty("bamqp.image.modules").split(",")))
        .doesNotContain("java.desktop", "java.sql", "java.compiler", "jdk.jfr", "java.xml")
        .hasSizeLessThanOrEqualTo(8);

    ImageProcess.Outcome version = ImageProcess.run(IMAGE, dir, "version", "--version");
    assertThat(version.exitCode()).as(version.output()).isZero();
    assertThat(version.output())
        .startsWith("bamqp " + System.getProperty("bamqp.version") + " (commit ")
        .matches("(?s)bamqp \\S+ \\(commit ([0-9a-f]{12}|unknown)\\)\\n");

    // -Xshare:on makes a CDS archive that cannot map a start-up error instead of a quiet fallback.
    ImageProcess.Outcome traced =
        versionWith(IMAGE, "version-cds", "-Xshare:on -Xlog:class+load=info");
    assertThat(traced.exitCode()).as(traced.output()).isZero();
    assertThat(traced.output())
        .contains("io.bamqp.proxy.cli.Main source: shared objects file (top)");

    // jvm.options' environment lines are not options: one in BAMQP_JAVA_OPTS is named, not passed
    // to java (which would take it for the class to run).
    ImageProcess.Outcome misplaced =
        versionWith(
            IMAGE,
            "version-env-in-opts",
            "-Xmx64m GLIBC_TUNABLES=glibc.malloc.trim_threshold=65536");
    assertThat(misplaced.exitCode()).as(misplaced.output()).isEqualTo(2);
    assertThat(misplaced.output())
        .contains(
            "BAMQP_JAVA_OPTS has GLIBC_TUNABLES=glibc.malloc.trim_threshold=65536, an environment"
                + " variable and not a JVM option: export it instead");
  }

  /**
   * The install steps of deploy/README.md: the image unpacked elsewhere and reached through a
   * symlink (/opt/bamqp -> /opt/bamqp-VERSION) starts without a word about its archive, and
   * bin/bamqp-cds makes an archive that maps there.
   */
  @Test
  void aMovedImageStartsQuietlyAndBamqpCdsMakesAnArchiveThatMapsThere() throws Exception {
    Path moved = dir.resolve("opt/bamqp-" + System.getProperty("bamqp.version"));
    Files.createDirectories(moved.getParent());
    Process copy =
        new ProcessBuilder("cp", "-a", IMAGE.toString(), moved.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(copy.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(copy.exitValue()).isZero();
    Path link = Files.createSymbolicLink(dir.resolve("opt/bamqp"), moved.getFileName());

    ImageProcess.Outcome quiet = ImageProcess.run(link, dir, "moved-version", "--version");
    assertThat(quiet.exitCode()).as(quiet.output()).isZero();
    assertThat(quiet.output()).matches("bamqp \\S+ \\(commit \\S+\\)\\n");

    try (ImageProcess cds =
        ImageProcess.startProgram(link.resolve("bin/bamqp-cds"), dir, "moved-cds", Map.of())) {
      ImageProcess.Outcome made = cds.outcome(Await.DEFAULT_DEADLINE.multipliedBy(3));
      assertThat(made.exitCode()).as(made.output()).isZero();
      assertThat(made.output()).contains("bamqp-cds: wrote " + moved.toRealPath().resolve("lib"));
    }
    ImageProcess.Outcome traced =
        versionWith(link, "moved-version-cds", "-Xshare:on -Xlog:class+load=info");
    assertThat(traced.exitCode()).as(traced.output()).isZero();
    assertThat(traced.output())
        .contains("io.bamqp.proxy.cli.Main source: shared objects file (top)");
  }

  /**
   * A checkout's {@code ./bamqp} makes its archive with the image's script, named another java, jar
   * and file: the archive it writes maps when that java starts that jar. A wrong argument is named.
   */
  @Test
  void bamqpCdsMakesAnArchiveForTheJavaJarAndFileItIsGiven() throws Exception {
    Path jar = Files.copy(IMAGE.resolve("lib/bamqp.jar"), dir.resolve("checkout-bamqp.jar"));
    Path archive = dir.resolve("checkout-bamqp.jsa");
    String runtime = IMAGE.resolve("runtime/bin/java").toString();
    Path script = IMAGE.resolve("bin/bamqp-cds");

    try (ImageProcess wrong =
        ImageProcess.startProgram(script, dir, "cds-wrong", Map.of(), "--jar")) {
      ImageProcess.Outcome outcome = wrong.outcome(Await.DEFAULT_DEADLINE);
      assertThat(outcome.exitCode()).isEqualTo(2);
      assertThat(outcome.output()).isEqualTo("bamqp-cds: --jar needs a file\n");
    }
    try (ImageProcess cds =
        ImageProcess.startProgram(
            script,
            dir,
            "cds-given",
            Map.of(),
            "--java",
            runtime,
            "--jar",
            jar.toString(),
            "--archive",
            archive.toString())) {
      ImageProcess.Outcome made = cds.outcome(Await.DEFAULT_DEADLINE.multipliedBy(3));
      assertThat(made.exitCode()).as(made.output()).isZero();
      assertThat(made.output()).contains("bamqp-cds: wrote " + archive);
    }
    try (ImageProcess traced =
        ImageProcess.startProgram(
            Path.of(runtime),
            dir,
            "cds-given-version",
            Map.of(),
            "-XX:SharedArchiveFile=" + archive,
            "-Xshare:on",
            "-Xlog:class+load=info",
            "-jar",
            jar.toString(),
            "--version")) {
      ImageProcess.Outcome outcome = traced.outcome(Await.DEFAULT_DEADLINE);
      assertThat(outcome.exitCode()).as(outcome.output()).isZero();
      assertThat(outcome.output())
          .contains("io.bamqp.proxy.cli.Main source: shared objects file (top)");
    }
  }

  @Test
  void twoNodesOfTheImagePairOverTlsFindTheOriginByDnsAndServeCurlsDownload() throws Exception {
    assumeInstalled("curl");
    origin =
        Await.result(
            TestOrigin.builder()
                .line(HOME, Line.ofMbps(20).withLatency(Duration.ofMillis(10)))
                .line(HELPER, Line.ofMbps(40).withLatency(Duration.ofMillis(10)))
                .build()
                .start(vertx));
    dns = TinyDns.start(vertx);

    Path homeConfig = dir.resolve("home.yaml");
    Path helperConfig = dir.resolve("helper.yaml");
    Files.writeString(homeConfig, config(HOME, 20, "home", "[]", List.of()));
    String homeId = keygen(homeConfig, "home");
    Files.writeString(helperConfig, config(HELPER, 40, "helper", "[]", List.of(homeId)));
    String helperId = keygen(helperConfig, "helper");

    ImageProcess helper = node("helper", helperConfig);
    int helperPeerPort = Integer.parseInt(helper.awaitLine("its start line", STARTED).group(2));
    Files.writeString(
        homeConfig,
        config(
            HOME,
            20,
            "home",
            "[{id: " + helperId + ", address: \"127.0.0.1:" + helperPeerPort + "\"}]",
            List.of(helperId)));
    ImageProcess home = node("home", homeConfig);
    int proxyPort = Integer.parseInt(home.awaitLine("its start line", STARTED).group(1));
    // lib/jvm.options' GLIBC_TUNABLES line reaches the JVM (glibc rewrites the variable in the
    // process's own copy, so /proc shows it up to its first ':').
    assertThat(home.jvmEnvironment())
        .anyMatch(variable -> variable.startsWith("GLIBC_TUNABLES=glibc.malloc.mmap_threshold="));
    // The image's runtime loads Netty's native epoll library from the jar (extracted to the
    // temporary folder); elsewhere than Linux x86-64 it may run on NIO, and says why.
    if (System.getProperty("os.name").startsWith("Linux")
        && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"))) {
      home.awaitLine(
          "the native transport", Pattern.compile("network transport: epoll \\(native\\)"));
    }
    home.awaitLine(
        "the helper online (mutual TLS)",
        Pattern.compile("neighbor " + Pattern.quote(helperId) + " online"));

    Path saved = dir.resolve("download.bin");
    String url = "http://" + ORIGIN_NAME + ":" + origin.port() + "/files/" + FILE;
    Process curl =
        new ProcessBuilder(
                "curl",
                "--silent",
                "--show-error",
                "--fail",
                "--max-time",
                "90",
                "--proxy",
                "http://127.0.0.1:" + proxyPort,
                "--output",
                saved.toString(),
                url)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("curl.log").toFile())
            .start();
    assertThat(curl.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(curl.exitValue())
        .as("curl: " + Files.readString(dir.resolve("curl.log")) + "\nhome:\n" + home.output())
        .isZero();
    assertThat(sha256(saved)).isEqualTo(Content.ofSize(FILE).sha256Hex());

    // The home planned the download across its line and the helper. What the helper carries
    // depends on the machine's load (a cold helper JVM on a busy 2-core box may deliver nothing
    // before the home line is done), so its share is not asserted.
    home.awaitLine(
        "the download's verdict",
        Pattern.compile(
            "download "
                + Pattern.quote(ORIGIN_NAME)
                + ":\\d+/files/\\d+ aggregated: 16\\.0 MiB in .*peer:"
                + Pattern.quote(helperId)
                + " \\d+%"));
    assertThat(dns.queries()).as("DNS queries from the nodes' wan.dnsServers").isPositive();
  }

  /** A node's config: loopback only, its own source address (its origin line), no mDNS. */
  private String config(
      String address, int mbps, String name, String staticPeers, List<String> trusted) {
    return """
        proxy:
          listen: 127.0.0.1:0
        wan:
          bindAddress: %s
          lineRateMbps: %d
          dnsServers: ["127.0.0.1:%d"]
        peer:
          listen: 127.0.0.1:0
          static: %s
          trusted: %s
        sharing:
          enabled: true
          maxRateMbps: %d
        security:
          allowDestinations: [127.0.0.0/8]
        discovery:
          mdns: false
        stats:
          listen: 127.0.0.1:0
        state:
          dir: '%s'
        """
        .formatted(
            address,
            mbps,
            dns.port(),
            staticPeers,
            trusted,
            mbps,
            dir.resolve(name + "-state").toString().replace("'", "''"));
  }

  /** {@code bin/bamqp --version} from {@code image} with {@code BAMQP_JAVA_OPTS} set. */
  private ImageProcess.Outcome versionWith(Path image, String name, String javaOpts)
      throws Exception {
    try (ImageProcess version =
        ImageProcess.start(image, dir, name, Map.of("BAMQP_JAVA_OPTS", javaOpts), "--version")) {
      return version.outcome(Await.DEFAULT_DEADLINE);
    }
  }

  /** {@code bin/bamqp keygen} from the image; answers the peer ID it printed. */
  private String keygen(Path config, String name) throws Exception {
    ImageProcess.Outcome outcome =
        ImageProcess.run(IMAGE, dir, name + "-keygen", "keygen", "--config", config.toString());
    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    Matcher id = PEER_ID.matcher(outcome.output().strip());
    assertThat(id.matches()).as("keygen printed a peer ID: " + outcome.output()).isTrue();
    return id.group(1);
  }

  private ImageProcess node(String name, Path config) throws Exception {
    ImageProcess node =
        ImageProcess.start(
            IMAGE,
            dir,
            name,
            Map.of("BAMQP_JAVA_OPTS", "-Xmx128m -XX:+UseSerialGC"),
            "run",
            "--config",
            config.toString());
    nodes.add(node);
    return node;
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest digest = Content.newSha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Skips (CI installs it, so there a skip never hides a failure) unless it is on the PATH. */
  private static void assumeInstalled(String program) {
    boolean found =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter(entry -> !entry.isEmpty())
            .anyMatch(entry -> Files.isExecutable(Path.of(entry, program)));
    Assumptions.assumeTrue(
        found, program + " is not installed: apt-get install " + program + " (.ci/run does)");
  }
}
