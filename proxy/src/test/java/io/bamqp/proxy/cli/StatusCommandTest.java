package io.bamqp.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.proxy.config.ConfigLoader;
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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void statusReadsTheRunningNodesDownloadsNeighborsAndSharing(@TempDir Path dir) throws Exception {
    String neighbor = Identity.generate().id().toString();
    String yaml =
        "proxy: {listen: 127.0.0.1:0}\n"
            + "peer: {listen: 127.0.0.1:0, trusted: ["
            + neighbor
            + "], static: [{id: "
            + neighbor
            + ", address: \"127.0.0.1:9\"}]}\n"
            + "discovery: {mdns: false}\n"
            + "state: {dir: "
            + dir.resolve("state")
            + "}\n";
    Vertx vertx = Vertx.vertx();
    try {
      Node node =
          Await.result(
              Node.start(vertx, ConfigLoader.parse(yaml + "stats: {listen: 127.0.0.1:0}\n")));
      try {
        Path config =
            Files.writeString(
                dir.resolve("bamqp.yaml"),
                yaml
                    + "stats: {listen: 127.0.0.1:"
                    + node.statsPort()
                    + ", token: a-long-enough-token-123}\n");

        assertThat(run("status", "--config", config.toString())).as(err::toString).isZero();

        assertThat(out.toString())
            .contains("statistics on http://127.0.0.1:" + node.statsPort() + "/")
            .contains("downloads: 0 running")
            .contains("neighbors: 1\n  " + neighbor + "  ")
            .contains("sharing: off, up to 10.0 Mbit/s");
      } finally {
        Await.result(node.close());
      }
    } finally {
      Await.result(vertx.close());
    }
  }

  @Test
  void statusWithoutARunningNodeSaysNobodyAnswersWhere(@TempDir Path dir) throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    Path config =
        Files.writeString(dir.resolve("c.yaml"), "stats: {listen: 0.0.0.0:" + closed + "}\n");

    assertThat(run("status", "--config", config.toString())).isEqualTo(Main.FAILED);
    assertThat(err.toString())
        .contains("no node answers on stats.listen 127.0.0.1:" + closed + " (connection refused)");

    Path off = Files.writeString(dir.resolve("off.yaml"), "stats: {enabled: false}\n");
    assertThat(run("status", "--config", off.toString())).isEqualTo(Main.CONFIG_ERROR);
    assertThat(err.toString()).contains("stats.enabled: is false in " + off);
  }
}
