package io.bamqp.proxy.cdn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CdnDomainsTest {
  private final CdnDomains builtIn = CdnDomains.builtIn();

  @Test
  void theBuiltInListHasTheServicesTheReadmeNames() {
    assertThat(CdnDomains.builtInServiceNames())
        .containsExactly(
            "steam",
            "windows",
            "xbox",
            "playstation",
            "blizzard",
            "epic",
            "debian",
            "ubuntu",
            "arch",
            "fedora");
    builtIn.services().forEach(service -> assertThat(service.names()).isNotEmpty());
  }

  @Test
  void exactNamesMatchOnlyThemselvesAndWildcardsOnlyWhatIsBelow() {
    assertThat(builtIn.serviceOf("lancache.steamcontent.com")).contains("steam");
    assertThat(builtIn.serviceOf("LANCACHE.SteamContent.com.")).contains("steam");
    assertThat(builtIn.serviceOf("x.lancache.steamcontent.com")).isEmpty();
    assertThat(builtIn.serviceOf("7.tlu.dl.delivery.mp.microsoft.com")).contains("windows");
    assertThat(builtIn.serviceOf("windowsupdate.com")).isEmpty();
    assertThat(builtIn.serviceOf("download.windowsupdate.com")).contains("windows");
    assertThat(builtIn.serviceOf("de.archive.ubuntu.com")).contains("ubuntu");
    assertThat(builtIn.serviceOf("example.com")).isEmpty();
    assertThat(builtIn.serviceOf("127.0.0.1")).isEmpty();
  }

  @Test
  void namesAreCheckedAsTheConfigWritesThem() {
    assertThat(CdnDomains.checkName(" Mirror.Example.ORG ")).isEqualTo("mirror.example.org");
    assertThat(CdnDomains.checkName("*.example.org")).isEqualTo("*.example.org");
    for (String bad : List.of("example", "a..b", "-a.example", "a.*.example", "a b.example", "*")) {
      assertThatThrownBy(() -> CdnDomains.checkName(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad.trim());
    }
  }

  @Test
  void dnsmasqLinesUseHostRecordsForNamesAndAddressForWildcards() throws Exception {
    CdnDomains domains = CdnDomains.of(List.of("windows"), List.of("dl.example.com"));
    String text =
        DnsOverrides.render(
            domains, InetAddress.getByName("192.168.1.2"), DnsOverrides.Format.DNSMASQ);
    assertThat(text)
        .contains("address=/windowsupdate.com/192.168.1.2\n")
        .contains("host-record=officecdn.microsoft.com,192.168.1.2\n")
        .contains("host-record=dl.example.com,192.168.1.2\n")
        // covered by address=/dl.delivery.mp.microsoft.com/, which answers the name itself too
        .doesNotContain("host-record=dl.delivery.mp.microsoft.com");
  }

  @Test
  void unboundLinesRedirectWildcardZonesAndAnswerIpv6WithAaaa() throws Exception {
    CdnDomains domains = CdnDomains.of(List.of("windows"), List.of());
    String text =
        DnsOverrides.render(domains, InetAddress.getByName("fd00::2"), DnsOverrides.Format.UNBOUND);
    assertThat(text)
        .startsWith("#")
        .contains("server:\n")
        .contains("  local-zone: \"windowsupdate.com.\" redirect\n")
        .contains("  local-data: \"windowsupdate.com. 300 IN AAAA fd00:0:0:0:0:0:0:2\"\n");
  }

  @Test
  void aHostsFileGetsEveryExactNameAndSaysWhichWildcardsItCannotHold() throws Exception {
    CdnDomains domains = CdnDomains.of(List.of("windows"), List.of());
    String text =
        DnsOverrides.render(domains, InetAddress.getByName("10.0.0.2"), DnsOverrides.Format.HOSTS);
    assertThat(text)
        .contains("10.0.0.2 dl.delivery.mp.microsoft.com\n")
        .contains("# *.windowsupdate.com: a hosts file cannot say this");
  }

  @Test
  void anUnknownFormatNamesTheOnesThereAre() {
    assertThatThrownBy(() -> DnsOverrides.Format.parse("bind"))
        .hasMessageContaining("dnsmasq, unbound or hosts");
    assertThat(DnsOverrides.Format.parse("Unbound")).isEqualTo(DnsOverrides.Format.UNBOUND);
  }
}
