package io.bamqp.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    assertThat(out.toString()).contains("run --config FILE").contains("Exit codes");
    assertThat(run("run", "--help")).isZero();
  }

  @Test
  void noArgumentsIsAUsageError() {
    assertThat(run()).isEqualTo(Main.USAGE_ERROR);
    assertThat(err.toString()).contains("Usage: bamqp");
  }

  @Test
  void unknownCommandOrMissingConfigIsAUsageError() {
    assertThat(run("serve")).isEqualTo(Main.USAGE_ERROR);
    assertThat(err.toString()).contains("unknown command 'serve'");
    assertThat(run("run")).isEqualTo(Main.USAGE_ERROR);
    assertThat(err.toString()).contains("expected --config FILE");
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
  void checkValidatesAGoodConfig(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("ok.yaml"), "proxy:\n  listen: 127.0.0.1:3128\n");

    assertThat(run("check", "--config", config.toString())).isZero();
    assertThat(out.toString()).contains("OK");
  }

  @Test
  void aPortThatIsTakenExitsWithFailure(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Path config =
          Files.writeString(
              dir.resolve("taken.yaml"),
              "proxy:\n  listen: 127.0.0.1:"
                  + taken.getLocalPort()
                  + "\npeer:\n  listen: 127.0.0.1:0\nlog:\n  level: error\n");

      assertThat(run("run", "--config", config.toString())).isEqualTo(Main.FAILED);
      assertThat(err.toString()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
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
