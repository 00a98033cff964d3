package io.bamqp.proxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.Endpoint;
import io.bamqp.security.PeerId;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoopbackRouterTest {

  @Test
  void aTestBedRouterHasItsOwnLineAndTrustsTheNeighborsItUses() {
    PeerId two = LoopbackRouter.of("127.0.0.12", 10).id();
    PeerId three = LoopbackRouter.of("127.0.0.13", 10).id();
    PeerId served = LoopbackRouter.of("127.0.0.14", 10).id();
    BamqpConfig config =
        LoopbackRouter.builder("127.0.0.11", 40)
            .ports(3128, 7432)
            .peers(Map.of(three.toString(), 7003, two.toString(), 7002))
            .trusted(List.of(served))
            .aggregation("bufferBytes: 4MiB")
            .build()
            .config();

    assertThat(config.wan().bindAddress()).isEqualTo("127.0.0.11");
    assertThat(config.wan().lineRateMbps()).isEqualTo(40);
    assertThat(config.proxy().listen()).isEqualTo(new Endpoint("127.0.0.1", 3128));
    assertThat(config.peer().usablePeers())
        .extracting(BamqpConfig.StaticPeer::id)
        .containsExactlyInAnyOrder(two, three);
    assertThat(config.peer().trusted()).containsExactlyInAnyOrder(two, three, served);
    assertThat(config.aggregation().bufferBytes().bytes()).isEqualTo(4 << 20);
    assertThat(config.sharing().enabled()).isTrue();
    assertThat(config.sharing().maxRateMbps()).isEqualTo(40);
    assertThat(config.security().allowDestinations()).hasSize(1);
  }

  @Test
  void aRouterKeepsItsIdentityInItsStateDirectory() {
    LoopbackRouter router = LoopbackRouter.of("127.0.0.11", 40);
    assertThat(router.toBuilder().ports(1, 2).build().id()).isEqualTo(router.id());
    assertThat(LoopbackRouter.of("127.0.0.11", 40).id()).isNotEqualTo(router.id());
  }

  @Test
  void originCaFilesReachTheConfigAndSurviveACopy() {
    Path ca = Path.of(SelfSignedCertificate.create().certificatePath());
    LoopbackRouter router =
        LoopbackRouter.builder("127.0.0.11", 40).originCaFiles(List.of(ca)).build();

    assertThat(router.config().security().originCaPaths()).containsExactly(ca);
    assertThat(router.toBuilder().build().config().security().originCaPaths()).containsExactly(ca);
    assertThat(LoopbackRouter.of("127.0.0.11", 40).config().security().originCaFiles()).isEmpty();
  }

  @Test
  void aRouterWithoutNeighborsIsValidToo() {
    assertThat(LoopbackRouter.of("127.0.0.12", 10).config().peer().staticPeers()).isEmpty();
  }
}
