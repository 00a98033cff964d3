package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  void ipv4BlockContainsItsAddressesAndNothingElse() {
    Cidr block = Cidr.parse("192.168.0.0/16");
    assertThat(block.contains("192.168.1.20")).isTrue();
    assertThat(block.contains("192.169.0.1")).isFalse();
    assertThat(block.contains("::1")).isFalse();
  }

  @Test
  void bareAddressIsASingleHost() {
    Cidr host = Cidr.parse("10.1.2.3");
    assertThat(host.contains("10.1.2.3")).isTrue();
    assertThat(host.contains("10.1.2.4")).isFalse();
    assertThat(host).hasToString("10.1.2.3/32");
  }

  @Test
  void hostBitsAreMaskedAway() {
    assertThat(Cidr.parse("172.16.5.4/12")).isEqualTo(Cidr.parse("172.16.0.0/12"));
  }

  @Test
  void ipv6BlocksMatchIpv6Addresses() {
    Cidr ula = Cidr.parse("fc00::/7");
    assertThat(ula.contains("fd12:3456::1")).isTrue();
    assertThat(ula.contains("fe80::1")).isFalse();
    assertThat(Cidr.parse("::1/128").contains("::1")).isTrue();
  }

  @Test
  void ipv4MappedIpv6AddressIsJudgedAsTheIpv4AddressItCarries() throws Exception {
    Cidr loopback = Cidr.parse("127.0.0.0/8");
    assertThat(loopback.contains(InetAddress.getByName("::ffff:127.0.0.1"))).isTrue();
  }

  @Test
  void zeroPrefixMatchesEveryAddressOfItsFamily() {
    assertThat(Cidr.parse("0.0.0.0/0").contains("8.8.8.8")).isTrue();
  }

  @Test
  void malformedBlocksAreRefusedWithTheReason() {
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("more than 32");
    assertThatThrownBy(() -> Cidr.parse("10.0.0/8")).hasMessageContaining("dotted-quad");
    assertThatThrownBy(() -> Cidr.parse("example.com/8")).hasMessageContaining("dotted-quad");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("bad prefix");
    assertThatThrownBy(() -> Cidr.parse("0x7f.1.0.0")).hasMessageContaining("dotted-quad");
    assertThatThrownBy(() -> Cidr.parse("010.0.0.1")).hasMessageContaining("dotted-quad");
  }

  @Test
  void unparsableCandidateIsNotContained() {
    assertThat(Cidr.parse("0.0.0.0/0").contains("not-an-address")).isFalse();
  }

  @Test
  void ipv6BlocksPrintInTheShortFormAndReadBack() {
    for (String text :
        new String[] {
          "::1/128",
          "fc00::/7",
          "fe80::/10",
          "::/0",
          "2001:db8::1:0:0:1/128",
          "1:0:2::/48",
          "2001:db8:0:1:1:1:1:1/128",
          "10.0.0.0/8"
        }) {
      assertThat(Cidr.parse(text)).as(text).hasToString(text);
      assertThat(Cidr.parse(Cidr.parse(text).toString())).isEqualTo(Cidr.parse(text));
    }
  }
}
