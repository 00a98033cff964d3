package io.bamqp.proxy.forward.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bamqp.security.HostPort;
import io.bamqp.security.LanHost;
import org.junit.jupiter.api.Test;

class PacFileTest {

  @Test
  void bothPathsAskForTheFileWithOrWithoutAQuery() {
    assertThat(PacFile.isAsked("/proxy.pac")).isTrue();
    assertThat(PacFile.isAsked("/wpad.dat")).isTrue();
    assertThat(PacFile.isAsked("/proxy.pac?v=2")).isTrue();
    assertThat(PacFile.isAsked("/proxy.pac/x")).isFalse();
    assertThat(PacFile.isAsked("/files/proxy.pac")).isFalse();
    assertThat(PacFile.isAsked("/PROXY.PAC")).isFalse();
    assertThat(PacFile.isAsked("/fetch?url=http://a/proxy.pac")).isFalse();
  }

  @Test
  void theScriptNamesTheProxyByTheAddressTheBrowserUsed() {
    assertThat(PacFile.script(HostPort.of("192.168.1.1", 3128)))
        .contains("var proxy = \"PROXY 192.168.1.1:3128\";")
        .contains("function FindProxyForURL(url, host)");
    assertThat(PacFile.script(HostPort.of("router.lan", 8080)))
        .contains("\"PROXY router.lan:8080\"");
  }

  @Test
  void anIpv6ProxyIsWrittenInBrackets() {
    assertThat(PacFile.script(HostPort.of("fd00::1", 3128))).contains("\"PROXY [fd00::1]:3128\"");
  }

  @Test
  void everyLanSuffixGoesDirect() {
    String script = PacFile.script(HostPort.of("10.0.0.1", 3128));
    for (String suffix : LanHost.LAN_SUFFIXES) {
      assertThat(script).contains("dnsDomainIs(host, \"" + suffix + "\")");
    }
    assertThat(script).contains("isPlainHostName(host)");
  }

  @Test
  void theScriptUsesNoHelperThatResolvesNames() {
    String script = PacFile.script(HostPort.of("10.0.0.1", 3128));
    assertThat(script)
        .doesNotContain("isInNet")
        .doesNotContain("dnsResolve")
        .doesNotContain("isResolvable");
  }

  @Test
  void onlyIpLiteralsAndLanNamesCountAsTheRouter() {
    assertThat(LanHost.isLan("192.168.1.1")).isTrue();
    assertThat(LanHost.isLan("fd00::1")).isTrue();
    assertThat(LanHost.isLan("router")).isTrue();
    assertThat(LanHost.isLan("router.lan")).isTrue();
    assertThat(LanHost.isLan("router.home.arpa.")).isTrue();
    assertThat(LanHost.isLan("evil.example")).isFalse();
    assertThat(LanHost.isLan("lan.example.com")).isFalse();
  }

  @Test
  void theFileNamesTheHostTheBrowserUsedWithTheProxysPort() {
    assertThat(PacEndpoint.proxyAsReached(new RequestTarget("router.lan", 80, "/wpad.dat"), 3128))
        .isEqualTo(HostPort.of("router.lan", 3128));
  }

  @Test
  void aPublicNameIsRefusedWith403() {
    assertThatThrownBy(
            () ->
                PacEndpoint.proxyAsReached(
                    new RequestTarget("rebound.example.com", 3128, "/proxy.pac"), 3128))
        .isInstanceOfSatisfying(
            ProxyFailure.class, refused -> assertThat(refused.status()).isEqualTo(403))
        .hasMessageContaining("'rebound.example.com'")
        .hasMessageContaining("DNS rebinding");
  }
}
