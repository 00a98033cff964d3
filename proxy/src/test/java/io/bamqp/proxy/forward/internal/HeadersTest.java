package io.bamqp.proxy.forward.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpVersion;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeadersTest {

  @Test
  void hopByHopHeadersAndThoseNamedInConnectionAreDropped() {
    MultiMap from =
        MultiMap.caseInsensitiveMultiMap()
            .add("Connection", "keep-alive, X-Private")
            .add("Connection", "x-other")
            .add("X-Private", "1")
            .add("X-Other", "2")
            .add("Keep-Alive", "timeout=5")
            .add("Proxy-Authorization", "Basic x")
            .add("Transfer-Encoding", "chunked")
            .add("Host", "set-by-caller")
            .add("Accept", "*/*")
            .add("Accept", "text/html");
    MultiMap to = MultiMap.caseInsensitiveMultiMap();

    HopByHop.copyEndToEnd(from, to, Set.of("host"));

    assertThat(to.names()).containsExactly("Accept");
    assertThat(to.getAll("accept")).containsExactly("*/*", "text/html");
  }

  @Test
  void viaIsAppendedWithTheReceivedProtocolVersion() {
    ViaHeader via = ViaHeader.random();
    MultiMap incoming = MultiMap.caseInsensitiveMultiMap().add("Via", "1.1 upstream-cache");
    MultiMap outgoing = MultiMap.caseInsensitiveMultiMap();

    via.append(incoming, outgoing, HttpVersion.HTTP_1_0);

    assertThat(outgoing.get("via")).matches("1\\.1 upstream-cache, 1\\.0 bamqp-[0-9a-f]{8}");
    assertThat(via.loopsThrough(outgoing)).isTrue();
    assertThat(via.loopsThrough(incoming)).isFalse();
    assertThat(ViaHeader.random().loopsThrough(outgoing)).isFalse();
  }
}
