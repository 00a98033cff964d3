package io.bamqp.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.proxy.config.ConfigPrinter;
import io.bamqp.proxy.node.Node;
import io.bamqp.security.Identity;
import io.bamqp.testbed.Await;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpPrintsUsageAndExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("run [--config FILE]")
        .contains("--version")
        .contains("Exit codes");
    assertThat(run("run", "--help")).isZero();
  }

  @Test
  void noArgumentsIsAUsageError() {
    assertThat(run()).isEqualTo(Main.USAGE_ERROR);
    assertThat(err.toString()).contains("Usage: bamqp");
  }

  @Test
  void unknownCommandOrABareConfigOptionIsAUsageError() {
    assertThat(run("serve")).isEqualTo(Main.USAGE_ERROR);
    assertThat(err.toString()).contains("unknown command 'serve'");
    assertThat(run("run", "--config")).isEqualTo(Main.USAGE_ERROR);
    assertThat(err.toString()).contains("expected [--config FILE]");
  }

  @Test
  void everyCommandReadsBamqpYamlWithoutConfigOption() {
    assumeFalse(Files.exists(Path.of("bamqp.yaml")), "a bamqp.yaml in the working directory");
    for (String command : List.of("run", "check", "id", "keygen", "audit")) {
      err.reset();
      assertThat(run(command)).as(command).isEqualTo(Main.CONFIG_ERROR);
      assertThat(err.toString())
          .as(command)
          .contains("no config file at bamqp.yaml (`bamqp init --config bamqp.yaml` writes one)");
    }
  }

  @Test
  void versionPrintsTheVersionAndTheCommit() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString().trim())
        .matches("bamqp \\d+\\.\\d+\\.\\d+\\S* \\(commit ([0-9a-f]{7,40}|unknown)\\)");
  }

  @Test
  void badConfigExitsWithTheConfigCodeAndNamesTheKey(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("bad.yaml"), "proxy:\n  listen: 3128\n");

    assertThat(run("run", "--config", config.toString())).isEqualTo(Main.CONFIG_ERROR);
    assertThat(err.toString())
        .contains("config error: proxy.listen[0]: wrong type: expected host:port");
  }

  @Test
  void checkRefusesAnAbsurdTimeoutWithTheConfigCodeAndNamesTheKey(@TempDir Path dir)
      throws Exception {
    for (String key : List.of("connectTimeout", "originTimeout", "idleTimeout")) {
      Path config =
          Files.writeString(
              dir.resolve(key + ".yaml"),
              "proxy:\n  listen: 127.0.0.1:3128\n  " + key + ": 1000h\n");

      assertThat(run("check", "--config", config.toString())).as(key).isEqualTo(Main.CONFIG_ERROR);
      assertThat(err.toString()).contains("config error: proxy." + key + ": must be at most 24h");
    }
    Path stall =
        Files.writeString(dir.resolve("stall.yaml"), "aggregation:\n  stallTimeout: 1000h\n");
    assertThat(run("check", "--config", stall.toString())).isEqualTo(Main.CONFIG_ERROR);
    assertThat(err.toString()).contains("aggregation.stallTimeout: must be at most 24h");
  }

  @Test
  void aReorderBudgetThisJvmCannotHoldIsABadConfigForCheckAndRun(@TempDir Path dir)
      throws Exception {
    // 64GiB, the most the key takes, is over half of any test JVM's direct memory (its -Xmx).
    Path config =
        Files.writeString(dir.resolve("budget.yaml"), "aggregation:\n  totalBufferBytes: 64GiB\n");

    for (String command : List.of("check", "run")) {
      err.reset();
      assertThat(run(command, "--config", config.toString()))
          .as(command)
          .isEqualTo(Main.CONFIG_ERROR);
      assertThat(err.toString())
          .as(command)
          .contains(
              "config error: aggregation.totalBufferBytes: 64GiB is more than half of this JVM's"
                  + " direct memory");
    }
  }

  @Test
  void checkPrintsTheEffectiveConfigAsYamlWithTheTokenMasked(@TempDir Path dir) throws Exception {
    String token = "s3cret-token-0123456789";
    Path config =
        Files.writeString(
            dir.resolve("ok.yaml"),
            "proxy:\n  listen: 127.0.0.1:3128\nstats:\n  token: " + token + "\n");

    assertThat(run("check", "--config", config.toString())).isZero();

    String printed = out.toString();
    assertThat(printed)
        .contains(config + ": OK")
        .contains("token: " + ConfigPrinter.MASK)
        .contains("listen:\n    - 127.0.0.1:3128")
        .contains("- ::1/128")
        .contains("idleTimeout: 2m")
        .doesNotContain(token)
        .doesNotContain("PT")
        .doesNotContain("0:0:0:0");
    BamqpConfig reread = ConfigLoader.parse(printed.replace(ConfigPrinter.MASK, token));
    assertThat(reread).isEqualTo(ConfigLoader.load(config));
  }

  private static final String WIDE_OPEN =
      "proxy:\n  allowedClients: [192.168.0.0/16, 0.0.0.0/0, \"::/0\"]\n"
          + "stats:\n  listen: 0.0.0.0:8088\n";

  @Test
  void checkWarnsAboutAnOpenStatsPageWithoutATokenAndAProxyOpenToEveryAddress(@TempDir Path dir)
      throws Exception {
    Path config = Files.writeString(dir.resolve("open.yaml"), WIDE_OPEN);

    assertThat(run("check", "--config", config.toString())).isZero();

    assertThat(out.toString())
        .contains(
            "warning: stats.listen is 0.0.0.0:8088, reachable from other machines, and stats.token"
                + " is not set")
        .contains("warning: proxy.allowedClients contains 0.0.0.0/0: the proxy serves every")
        .contains("warning: proxy.allowedClients contains ::/0:");
  }

  @Test
  void checkDoesNotWarnAboutTheDefaultsOrATokenGuardedPage(@TempDir Path dir) throws Exception {
    Path defaults = Files.writeString(dir.resolve("defaults.yaml"), "# all defaults\n");
    Path guarded =
        Files.writeString(
            dir.resolve("guarded.yaml"),
            "stats:\n  listen: 192.168.1.1:8088\n  token: 0123456789abcdef-token\n");

    assertThat(run("check", "--config", defaults.toString())).isZero();
    assertThat(run("check", "--config", guarded.toString())).isZero();

    assertThat(out.toString()).doesNotContain("warning:");
  }

  @Test
  void runLogsTheSameWarningsBeforeStarting(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Path config =
          Files.writeString(
              dir.resolve("open.yaml"),
              WIDE_OPEN.replace(
                      "proxy:\n", "proxy:\n  listen: 127.0.0.1:" + taken.getLocalPort() + "\n")
                  + "peer:\n  listen: 127.0.0.1:0\nstate:\n  dir: '"
                  + dir.resolve("state")
                  + "'\n");
      assertThat(run("keygen", "--config", config.toString())).isZero();

      assertThat(run("run", "--config", config.toString())).isEqualTo(Main.FAILED);

      assertThat(err.toString())
          .containsPattern("WARN +io\\.bamqp: stats\\.listen is 0\\.0\\.0\\.0:8088")
          .containsPattern("WARN +io\\.bamqp: proxy\\.allowedClients contains 0\\.0\\.0\\.0/0");
    }
  }

  @Test
  void aPortThatIsTakenExitsWithFailureAndNamesTheSettingOfThatPort(@TempDir Path dir)
      throws Exception {
    for (String setting : List.of("proxy.listen", "peer.listen", "stats.listen")) {
      try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        String section = setting.substring(0, setting.indexOf('.'));
        String yaml =
            ("proxy: {listen: 127.0.0.1:0}\npeer: {listen: 127.0.0.1:0}\n"
                    + "stats: {listen: 127.0.0.1:0}\ndiscovery: {mdns: false}\n"
                    + "log: {level: error}\nstate: {dir: "
                    + dir.resolve("state")
                    + "}\n")
                .replace(
                    section + ": {listen: 127.0.0.1:0}",
                    section + ": {listen: 127.0.0.1:" + taken.getLocalPort() + "}");
        Path config = Files.writeString(dir.resolve(section + ".yaml"), yaml);
        assertThat(run("keygen", "--config", config.toString())).isIn(Main.OK, Main.FAILED);
        err.reset();

        assertThat(run("run", "--config", config.toString())).as(setting).isEqualTo(Main.FAILED);
        assertThat(err.toString().trim())
            .isEqualTo(
                "bamqp: " + setting + " 127.0.0.1:" + taken.getLocalPort() + ": address in use");
      }
    }
  }

  @Test
  void runWithoutAnIdentityStopsWithTheConfigCodeSaysWhereItLookedAndMakesNone(@TempDir Path dir)
      throws Exception {
    Path state = dir.resolve("typo-state");
    Path config = Files.writeString(dir.resolve("c.yaml"), "state: {dir: " + state + "}\n");

    assertThat(run("run", "--config", config.toString())).isEqualTo(Main.CONFIG_ERROR);

    assertThat(err.toString())
        .contains("no identity at " + state.resolve("identity.key"))
        .contains("bamqp keygen --config " + config)
        .contains("bamqp init");
    assertThat(state).doesNotExist();
  }

  @Test
  void runOnAStateDirThatIsAFileNamesTheSetting(@TempDir Path dir) throws Exception {
    Path state = Files.writeString(dir.resolve("state"), "not a folder");
    Path config = Files.writeString(dir.resolve("c.yaml"), "state: {dir: " + state + "}\n");

    assertThat(run("run", "--config", config.toString())).isEqualTo(Main.CONFIG_ERROR);
    assertThat(err.toString()).contains("state.dir " + state + ": not a directory");
  }

  @Test
  void runOnAStateDirItCannotWriteSaysPermissionDeniedAndTheUser(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("c.yaml");
    Path state = dir.resolve("s");
    Files.writeString(config, "state: {dir: " + state + "}\n");
    assertThat(run("keygen", "--config", config.toString())).isZero();
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("r-x------"));
    try {
      assumeFalse(Files.isWritable(state), "this user (root) may write anywhere");

      assertThat(run("run", "--config", config.toString())).isEqualTo(Main.CONFIG_ERROR);
      assertThat(err.toString())
          .contains(
              "state.dir "
                  + state
                  + ": permission denied (running as user "
                  + System.getProperty("user.name")
                  + ")");
    } finally {
      Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void idOrRunOnAKeyItMayNotUseNameTheKeyFileInsteadOfSayingThereIsNone(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("c.yaml");
    Path state = dir.resolve("s");
    Files.writeString(config, "state: {dir: " + state + "}\n");
    assertThat(run("keygen", "--config", config.toString())).isZero();
    Path key = state.resolve("identity.key");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(run("id", "--config", config.toString())).isEqualTo(Main.FAILED);
    assertThat(run("run", "--config", config.toString())).isEqualTo(Main.CONFIG_ERROR);

    assertThat(err.toString())
        .contains("identity key " + key + " is accessible by group or others")
        .doesNotContain("no identity");
  }

  @Test
  void theStartLineNamesThePeerIdAndCountsTrustedNeighborsWithoutAddresses(@TempDir Path dir) {
    String a = Identity.generate().id().toString();
    String b = Identity.generate().id().toString();
    BamqpConfig config =
        ConfigLoader.parse(
            "proxy: {listen: 127.0.0.1:0}\npeer: {listen: 127.0.0.1:0, trusted: ["
                + a
                + ", "
                + b
                + "]}\nstats: {listen: 127.0.0.1:0}\ndiscovery: {mdns: false}\nstate: {dir: "
                + dir
                + "}\n");
    Vertx vertx = Vertx.vertx();
    try {
      Node node = Await.result(Node.start(vertx, config));
      try {
        assertThat(Main.startLine(config, node))
            .startsWith(Version.line() + " started as peer ID " + node.id())
            .contains("proxy on 127.0.0.1:" + node.proxyPort())
            .contains("stats on 127.0.0.1:" + node.statsPort())
            .endsWith(
                "2 trusted neighbor(s): 0 at a peer.static address, 2 unreachable until listed"
                    + " in peer.static (discovery.mdns is off)");
      } finally {
        Await.result(node.close());
      }
    } finally {
      Await.result(vertx.close());
    }
    assertThat(Main.neighbors(BamqpConfig.defaults()))
        .isEqualTo("no trusted neighbor yet (peer.trusted is empty)");
  }

  @Test
  void initWritesAConfigWithSharingOffMakesTheIdentityAndPrintsItsId(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("bamqp.yaml");

    assertThat(run("init", "--config", config.toString())).isZero();

    BamqpConfig written = ConfigLoader.load(config);
    assertThat(written.sharing().enabled()).isFalse();
    assertThat(written.state().path()).isEqualTo(dir.toAbsolutePath().resolve("bamqp-state"));
    Path key = written.state().path().resolve("identity.key");
    assertThat(java.nio.file.Files.getPosixFilePermissions(key))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    String id = io.bamqp.security.Identity.load(key).id().toString();
    assertThat(out.toString()).contains("This node's peer ID: " + id).contains("peer.trusted");

    out.reset();
    assertThat(run("id", "--config", config.toString())).isZero();
    assertThat(out.toString().trim()).isEqualTo(id);
    assertThat(run("init", "--config", config.toString())).isEqualTo(Main.FAILED);
    assertThat(err.toString()).contains("never overwrites");
    assertThat(run("keygen", "--config", config.toString())).isEqualTo(Main.FAILED);
    assertThat(err.toString()).contains("already holds identity " + id);
  }

  @Test
  void idWithoutAnIdentitySaysHowToMakeOne(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("c.yaml");
    java.nio.file.Files.writeString(config, "state: {dir: " + dir.resolve("s") + "}\n");

    assertThat(run("id", "--config", config.toString())).isEqualTo(Main.FAILED);
    assertThat(err.toString()).contains("bamqp keygen");
    assertThat(run("keygen", "--config", config.toString())).isZero();
    assertThat(run("id", "--config", config.toString())).isZero();
  }
}
