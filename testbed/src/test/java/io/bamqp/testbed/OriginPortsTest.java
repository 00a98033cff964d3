package io.bamqp.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class OriginPortsTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<TestOrigin> origins = new ArrayList<>();

  @AfterEach
  void stop() {
    origins.forEach(origin -> Await.result(origin.close()));
    Await.result(vertx.close());
  }

  @Test
  void anOriginAskedForAnyPortTakesOneNoEphemeralBindCanShare() throws Exception {
    int ephemeralFirst = OriginPorts.ephemeralFirst();
    for (int i = 0; i < 4; i++) {
      TestOrigin origin = Await.result(TestOrigin.builder().build().start(vertx));
      origins.add(origin);
      assertThat(origin.port()).isBetween(OriginPorts.QUIET_FIRST, ephemeralFirst - 1);
    }
    // And a node's ephemeral listener on another loopback address never lands there.
    try (ServerSocket node = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.12"))) {
      assertThat(node.getLocalPort()).isGreaterThanOrEqualTo(ephemeralFirst);
    }
  }

  @Test
  void anOriginAskedForAPortTakesThatOne() throws Exception {
    int free;
    try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      free = probe.getLocalPort();
    }
    TestOrigin origin = Await.result(TestOrigin.builder().port(free).build().start(vertx));
    origins.add(origin);
    assertThat(origin.port()).isEqualTo(free);
  }
}
