package io.bamqp.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EndpointTest {

  @Test
  void anEndpointIsHostColonPortWithIpv6InBracketsAndPortZeroForAnyFreePort() {
    assertThat(Endpoint.parse(" 0.0.0.0:3128 ")).isEqualTo(new Endpoint("0.0.0.0", 3128));
    assertThat(Endpoint.parse("[::1]:3128")).isEqualTo(new Endpoint("::1", 3128));
    assertThat(Endpoint.parse("[::1]:3128")).hasToString("[::1]:3128");
    assertThat(Endpoint.parse("router.lan:0").port()).isZero();
  }

  @Test
  void badEndpointsAreNamedWithTheProblem() {
    assertThatThrownBy(() -> Endpoint.parse("nowhere")).hasMessage("'nowhere' is not host:port");
    assertThatThrownBy(() -> Endpoint.parse(":3128")).hasMessage("':3128' is not host:port");
    assertThatThrownBy(() -> Endpoint.parse("host:")).hasMessage("'host:' is not host:port");
    assertThatThrownBy(() -> Endpoint.parse("host:http"))
        .hasMessage("'host:http' has a bad port 'http'");
    assertThatThrownBy(() -> Endpoint.parse("host:99999"))
        .hasMessage("port 99999 is outside 0-65535");
    assertThatThrownBy(() -> Endpoint.parse("::1:3128"))
        .hasMessage("'::1:3128': write an IPv6 host as [addr]:port");
    assertThatThrownBy(() -> Endpoint.parse("[::1:3128"))
        .hasMessage("'[::1:3128': write an IPv6 host as [addr]:port");
    assertThatThrownBy(() -> Endpoint.parse("my host:3128"))
        .hasMessage("'my host:3128' has a bad host 'my host'");
  }
}
