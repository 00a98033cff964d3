package io.bamqp.proxy.stats.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostGuardTest {
  @Test
  void addressesLocalhostAndLanNamesAreServed() {
    assertThat(HostGuard.allowed("192.168.1.1")).isTrue();
    assertThat(HostGuard.allowed("127.0.0.1")).isTrue();
    assertThat(HostGuard.allowed("[::1]")).isTrue();
    assertThat(HostGuard.allowed("localhost")).isTrue();
    assertThat(HostGuard.allowed("router")).isTrue();
    assertThat(HostGuard.allowed("router.lan")).isTrue();
    assertThat(HostGuard.allowed("Router.Home.Arpa.")).isTrue();
  }

  @Test
  void publicNamesThatCouldBeReboundAreRefused() {
    assertThat(HostGuard.allowed("evil.example")).isFalse();
    assertThat(HostGuard.allowed("127.0.0.1.nip.io")).isFalse();
    assertThat(HostGuard.allowed("lan.evil.example")).isFalse();
  }
}
