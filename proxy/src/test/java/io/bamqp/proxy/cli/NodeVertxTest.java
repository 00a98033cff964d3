package io.bamqp.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.proxy.node.Node;
import io.bamqp.testbed.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's Vert.x ({@link Main#nodeVertx}): native epoll where it loads, NIO otherwise. */
class NodeVertxTest {

  @Test
  void onLinuxX8664TheNodeRunsOnEpoll(@TempDir Path dir) {
    assumeTrue(
        System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
            && List.of("amd64", "x86_64").contains(System.getProperty("os.arch")),
        "the native library in the build is checked here on Linux x86_64");
    assertThat(startNodeAndAskItsStats(dir)).isEqualTo("network transport: epoll (native) 200");
  }

  @Test
  void withoutTheNativeLibraryTheNodeFallsBackToNioAndSaysWhy(@TempDir Path dir)
      throws IOException, InterruptedException {
    // Netty's own switch makes the library unavailable as a failed load would; it is read once
    // per JVM, so in a JVM of its own.
    Process probe =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.transport.noNative=true",
                "-cp",
                System.getProperty("java.class.path"),
                Probe.class.getName(),
                dir.toString())
            .redirectErrorStream(true)
            // To a file, not a pipe nobody drains while the test waits for the JVM to end.
            .redirectOutput(dir.resolve("probe.log").toFile())
            .start();
    String output;
    try {
      // A JVM of its own to start, then the node within Await.DEFAULT_DEADLINE, then its close.
      assertThat(
              probe.waitFor(Await.DEFAULT_DEADLINE.multipliedBy(3).toSeconds(), TimeUnit.SECONDS))
          .as("the probe JVM ended")
          .isTrue();
      output = Files.readString(dir.resolve("probe.log"), StandardCharsets.UTF_8);
    } finally {
      probe.destroyForcibly();
    }
    assertThat(probe.exitValue()).as(output).isZero();
    // Netty's message ("... explicit disabled with -Dio.netty.transport.noNative=true") says why.
    assertThat(output)
        .containsPattern(
            "network transport: Java NIO \\(the native transport is unavailable:"
                + " java.lang.UnsupportedOperationException: [^\\n]*"
                + "-Dio.netty.transport.noNative=true\\) 200\n");
  }

  /** Starts a node on {@link Main#nodeVertx}; its transport line and its stats API's status. */
  static String startNodeAndAskItsStats(Path stateDir) {
    BamqpConfig config =
        ConfigLoader.parse(
            "proxy: {listen: 127.0.0.1:0}\npeer: {listen: 127.0.0.1:0}\n"
                + "stats: {listen: 127.0.0.1:0}\ndiscovery: {mdns: false}\nstate: {dir: "
                + stateDir
                + "}\n");
    Vertx vertx = Main.nodeVertx();
    try {
      Node node = Await.result(Node.start(vertx, config));
      try {
        // Held and closed: Vert.x closes a client that is no longer referenced (then "Pool
        // closed").
        HttpClient client = vertx.createHttpClient();
        int status =
            Await.result(
                client
                    .request(
                        new RequestOptions()
                            .setMethod(HttpMethod.GET)
                            .setHost("127.0.0.1")
                            .setPort(node.statsPort())
                            .setURI("/api/peers"))
                    .compose(request -> request.send())
                    .map(response -> response.statusCode()));
        Await.result(client.close());
        return Main.transportLine(vertx) + " " + status;
      } finally {
        Await.result(node.close());
      }
    } finally {
      Await.result(vertx.close());
    }
  }

  /** The fallback test's JVM: prints what {@link #startNodeAndAskItsStats} returns. */
  static final class Probe {
    public static void main(String[] args) {
      System.out.println(startNodeAndAskItsStats(Path.of(args[0])));
      System.exit(0);
    }
  }
}
