package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LanHostTest {
  @Test
  void addressesLocalhostSingleLabelsAndLanSuffixesAreLanHosts() {
    assertThat(LanHost.isLan("192.168.1.1")).isTrue();
    assertThat(LanHost.isLan("127.0.0.1")).isTrue();
    assertThat(LanHost.isLan("[::1]")).isTrue();
    assertThat(LanHost.isLan("::1")).isTrue();
    assertThat(LanHost.isLan("[fe80::1%eth0]")).isTrue();
    assertThat(LanHost.isLan("localhost")).isTrue();
    assertThat(LanHost.isLan("router")).isTrue();
    assertThat(LanHost.isLan("router.lan")).isTrue();
    assertThat(LanHost.isLan("Router.Home.Arpa.")).isTrue();
    assertThat(LanHost.isLan("nas.local")).isTrue();
    assertThat(LanHost.isLan(HostPort.parse("router.internal:3128", 80))).isTrue();
  }

  @Test
  void internetNamesThatCouldBeReboundAreNot() {
    assertThat(LanHost.isLan("evil.example")).isFalse();
    assertThat(LanHost.isLan("evil.example.com")).isFalse();
    assertThat(LanHost.isLan("127.0.0.1.nip.io")).isFalse();
    assertThat(LanHost.isLan("lan.evil.example")).isFalse();
    assertThat(LanHost.isLan("evil-lan")).isTrue();
    assertThat(LanHost.isLan("xlan")).isTrue();
    assertThat(LanHost.isLan("evil.xlan")).isFalse();
  }

  @Test
  void malformedAndNumericLookingHostsAreNot() {
    assertThat(LanHost.isLan((String) null)).isFalse();
    assertThat(LanHost.isLan("")).isFalse();
    assertThat(LanHost.isLan(".")).isFalse();
    assertThat(LanHost.isLan("exa mple")).isFalse();
    assertThat(LanHost.isLan("127.1")).isFalse();
    assertThat(LanHost.isLan("2130706433")).isFalse();
    assertThat(LanHost.isLan("0x7f.1")).isFalse();
    assertThat(LanHost.isLan("router.lan:80")).isFalse();
  }
}
