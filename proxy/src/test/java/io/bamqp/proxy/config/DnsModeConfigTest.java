package io.bamqp.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bamqp.proxy.cdn.CdnDomains;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The DNS-mode keys: {@code proxy.listen} as a list, {@code wan.dnsServers}, {@code cdn.*}. */
class DnsModeConfigTest {
  @Test
  void proxyListenIsOneAddressOrAList() {
    assertThat(ConfigLoader.parse("proxy:\n  listen: 127.0.0.1:3128\n").proxy().listeners())
        .containsExactly(Endpoint.parse("127.0.0.1:3128"));
    BamqpConfig two = ConfigLoader.parse("proxy:\n  listen: [0.0.0.0:3128, \"0.0.0.0:80\"]\n");
    assertThat(two.proxy().listeners())
        .containsExactly(Endpoint.parse("0.0.0.0:3128"), Endpoint.parse("0.0.0.0:80"));
    assertThat(two.proxy().listen()).isEqualTo(Endpoint.parse("0.0.0.0:3128"));
    assertThat(BamqpConfig.defaults().proxy().listeners())
        .containsExactly(BamqpConfig.Proxy.DEFAULT_LISTEN);
  }

  @Test
  void aBadListenListIsRefusedByName() {
    assertThatThrownBy(() -> ConfigLoader.parse("proxy:\n  listen: []\n"))
        .hasMessageContaining("proxy.listen")
        .hasMessageContaining("at least one");
    assertThatThrownBy(
            () -> ConfigLoader.parse("proxy:\n  listen: [\"1.2.3.4:80\", \"1.2.3.4:80\"]\n"))
        .hasMessageContaining("proxy.listen")
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> ConfigLoader.parse("proxy:\n  listen: [\"1.2.3.4:99999\"]\n"))
        .hasMessageContaining("proxy.listen");
  }

  @Test
  void dnsServersAreNumericAddressesWithAnOptionalPort() {
    BamqpConfig config =
        ConfigLoader.parse(
            "wan:\n  dnsServers: [9.9.9.9, \"192.0.2.53:5353\", \"2001:db8::53\", \"[2001:db8::1]:54\"]\n");
    assertThat(config.wan().dnsServerAddresses())
        .extracting(InetSocketAddress::getPort)
        .containsExactly(53, 5353, 53, 54);
    assertThat(config.wan().dnsServerAddresses().get(2).getAddress().getHostAddress())
        .isEqualTo("2001:db8:0:0:0:0:0:53");
    assertThat(BamqpConfig.defaults().wan().dnsServers()).isEmpty();
  }

  @Test
  void aResolverByNameOrWithABadPortIsRefused() {
    assertThatThrownBy(() -> ConfigLoader.parse("wan:\n  dnsServers: [dns.google]\n"))
        .hasMessageContaining("wan.dnsServers[0]")
        .hasMessageContaining("not a numeric IP address");
    assertThatThrownBy(() -> ConfigLoader.parse("wan:\n  dnsServers: [\"1.1.1.1:0\"]\n"))
        .hasMessageContaining("wan.dnsServers[0]")
        .hasMessageContaining("bad port");
    assertThatThrownBy(() -> ConfigLoader.parse("wan:\n  dnsServers: [\"[::1\"]\n"))
        .hasMessageContaining("wan.dnsServers[0]");
  }

  @Test
  void cdnServicesDefaultToEveryBuiltInGroupAndUnknownOnesAreNamed() {
    assertThat(BamqpConfig.defaults().cdn().services())
        .isEqualTo(CdnDomains.builtInServiceNames())
        .contains("steam", "windows", "xbox", "playstation", "debian", "ubuntu");
    BamqpConfig picked =
        ConfigLoader.parse("cdn:\n  services: [debian]\n  extraDomains: [\"*.mirror.example\"]\n");
    assertThat(picked.cdn().domains().serviceOf("deb.debian.org")).contains("debian");
    assertThat(picked.cdn().domains().serviceOf("a.mirror.example")).contains(CdnDomains.EXTRA);
    assertThat(picked.cdn().domains().serviceOf("lancache.steamcontent.com")).isEmpty();
    assertThatThrownBy(() -> ConfigLoader.parse("cdn:\n  services: [stean]\n"))
        .hasMessageContaining("cdn.services")
        .hasMessageContaining("unknown service 'stean'")
        .hasMessageContaining("steam");
    assertThatThrownBy(() -> ConfigLoader.parse("cdn:\n  extraDomains: [\"a.*.example\"]\n"))
        .hasMessageContaining("cdn.extraDomains")
        .hasMessageContaining("not a domain name");
  }
}
