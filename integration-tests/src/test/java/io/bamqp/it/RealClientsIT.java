package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.testbed.Content;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real download clients from the distribution, pointed at the proxy as users would. */
class RealClientsIT {
  private static final long FILE_BYTES = 48 * Content.MIB;

  /** The proxy's own WAN address: the origin's counters tell proxied bytes from direct ones. */
  private static final String PROXY_WAN = "127.0.0.9";

  private final Vertx vertx = Vertx.vertx();
  private TestOrigin origin;
  private ProxyNode proxy;
  @TempDir Path downloads;

  @BeforeEach
  void start() throws Exception {
    origin = ProxyNode.await(TestOrigin.builder().build().start(vertx));
    proxy = ProxyNode.startWith(vertx, "", "wan:\n  bindAddress: " + PROXY_WAN + "\n");
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    ProxyNode.await(origin.close());
    ProxyNode.await(vertx.close());
  }

  @Test
  void curlDownloadsTheExactBytes() throws Exception {
    Path file = downloads.resolve("curl.bin");
    run(
        List.of(
            "curl",
            "--silent",
            "--show-error",
            "--fail",
            "--proxy",
            proxyUrl(),
            "--output",
            file.toString(),
            fileUrl()),
        Map.of());

    assertThat(sha256(file)).isEqualTo(Content.ofSize(FILE_BYTES).sha256Hex());
    assertThat(origin.stats(PROXY_WAN).bytesSent()).isEqualTo(FILE_BYTES);
  }

  @Test
  void wgetDownloadsTheExactBytes() throws Exception {
    Path file = downloads.resolve("wget.bin");
    run(
        List.of("wget", "--quiet", "--tries=1", "--output-document=" + file, fileUrl()),
        Map.of("http_proxy", proxyUrl(), "no_proxy", ""));

    assertThat(sha256(file)).isEqualTo(Content.ofSize(FILE_BYTES).sha256Hex());
    assertThat(origin.stats(PROXY_WAN).bytesSent()).isEqualTo(FILE_BYTES);
  }

  private String proxyUrl() {
    return "http://127.0.0.1:" + proxy.port();
  }

  private String fileUrl() {
    return origin.url("/files/" + FILE_BYTES);
  }

  private static void run(List<String> command, Map<String, String> environment) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (java.io.IOException missing) {
      throw new AssertionError(
          command.get(0) + " is not installed: run 'apt-get install " + command.get(0) + "'",
          missing);
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(command.get(0) + " finished").isTrue();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.exitValue()).as(command.get(0) + " output: " + output).isZero();
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (var in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
