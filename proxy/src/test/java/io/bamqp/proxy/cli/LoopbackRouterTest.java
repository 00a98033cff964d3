package io.bamqp.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.Endpoint;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoopbackRouterTest {

  @Test
  void aTestBedRouterHasItsOwnLineAndTrustsTheNeighborsItUses() {
    BamqpConfig config =
        LoopbackRouter.of("127.0.0.11", 40)
            .withPorts(3128, 7432)
            .withPeers(Map.of("router3", 7003, "router2", 7002))
            .withAggregation("bufferBytes: 4MiB")
            .config();

    assertThat(config.wan().bindAddress()).isEqualTo("127.0.0.11");
    assertThat(config.wan().lineRateMbps()).isEqualTo(40);
    assertThat(config.proxy().listen()).isEqualTo(new Endpoint("127.0.0.1", 3128));
    assertThat(config.peer().usablePeers())
        .extracting(BamqpConfig.StaticPeer::id)
        .containsExactly("router2", "router3");
    assertThat(config.aggregation().bufferBytes().bytes()).isEqualTo(4 << 20);
    assertThat(config.sharing().enabled()).isTrue();
    assertThat(config.sharing().maxRateMbps()).isEqualTo(40);
    assertThat(config.security().allowDestinations()).hasSize(1);
  }

  @Test
  void aRouterWithoutNeighborsIsValidToo() {
    assertThat(LoopbackRouter.of("127.0.0.12", 10).config().peer().staticPeers()).isEmpty();
  }
}
