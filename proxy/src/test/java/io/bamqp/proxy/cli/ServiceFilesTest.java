package io.bamqp.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service files in {@code deploy/} pass their own tools: {@code systemd-analyze verify} for the
 * unit, {@code sh -n} and shellcheck for the OpenWrt procd script. A tool that is not installed
 * skips its check with a message (CI installs them: {@code .ci/run}).
 */
class ServiceFilesTest {
  private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
  private static final Path UNIT = DEPLOY.resolve("bamqp.service");
  private static final Path PROCD = DEPLOY.resolve("openwrt").resolve("bamqp.init");

  @Test
  void theSystemdUnitVerifiesCleanly(@TempDir Path dir) throws Exception {
    assumeTrue(installed("systemd-analyze"), "systemd-analyze is not installed: unit not verified");
    String unit = Files.readString(UNIT);
    // verify insists that ExecStart's program exists; here, where nothing is installed under
    // /opt/bamqp, a stand-in takes bin/bamqp's place (distribution's DeployFilesIT verifies the
    // unit against the real image).
    assertThat(unit).contains("ExecStart=/opt/bamqp/bin/bamqp ");
    Path launcher = dir.resolve("bamqp");
    Files.writeString(launcher, "#!/bin/sh\nexit 0\n");
    assertThat(launcher.toFile().setExecutable(true)).isTrue();
    unit = unit.replace("ExecStart=/opt/bamqp/bin/bamqp ", "ExecStart=" + launcher + " ");
    Path copy = Files.writeString(dir.resolve("bamqp.service"), unit);

    Result verify = run("systemd-analyze", "verify", copy.toString());

    assertThat(verify.output()).as("systemd-analyze verify says").isEmpty();
    assertThat(verify.exitCode()).isZero();
  }

  @Test
  void theUnitStopsRestartingOnTheExitCodeOfABadConfig() throws IOException {
    String unit = Files.readString(UNIT);

    assertThat(unit)
        .contains("RestartPreventExitStatus=" + Main.CONFIG_ERROR + "\n")
        .contains("Restart=on-failure\n")
        .contains("StateDirectory=bamqp\n")
        .contains("ConfigurationDirectory=bamqp\n")
        .contains("run --config /etc/bamqp/bamqp.yaml\n")
        .contains("CapabilityBoundingSet=CAP_NET_BIND_SERVICE\n");
  }

  @Test
  void theProcdScriptParsesAndPassesShellcheck() throws Exception {
    Result syntax = run("sh", "-n", PROCD.toString());
    assertThat(syntax.output()).isEmpty();
    assertThat(syntax.exitCode()).isZero();

    assumeTrue(installed("shellcheck"), "shellcheck is not installed: procd script not linted");
    Result lint = run("shellcheck", "--shell=sh", PROCD.toString());
    assertThat(lint.output()).as("shellcheck says").isEmpty();
    assertThat(lint.exitCode()).isZero();
  }

  @Test
  void theMultiWanRoutingScriptParsesAndPassesShellcheck() throws Exception {
    Path script = DEPLOY.resolve("multiwan.sh");
    Result syntax = run("sh", "-n", script.toString());
    assertThat(syntax.output()).isEmpty();
    assertThat(syntax.exitCode()).isZero();
    Result usage = run("sh", script.toString(), "up", "101:eth1:192.168.1.2");
    assertThat(usage.output()).contains("is not TABLE:DEVICE:ADDRESS:GATEWAY");
    assertThat(usage.exitCode()).isEqualTo(2);

    assumeTrue(installed("shellcheck"), "shellcheck is not installed: multiwan.sh not linted");
    Result lint = run("shellcheck", "--shell=sh", script.toString());
    assertThat(lint.output()).as("shellcheck says").isEmpty();
    assertThat(lint.exitCode()).isZero();
  }

  private static boolean installed(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  private static Result run(String... command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within 30 s");
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.exitValue(), output.strip());
  }

  private record Result(int exitCode, String output) {}
}
