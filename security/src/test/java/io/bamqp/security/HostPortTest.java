package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bamqp.security.MalformedAddress.Reason;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HostPortTest {

  @Test
  void anAuthorityNamesAHostAndAPortOrTakesTheDefault() {
    assertThat(HostPort.parse("Mirror.Example:8081", 80))
        .isEqualTo(HostPort.of("mirror.example", 8081));
    assertThat(HostPort.parse("mirror.example", 80).port()).isEqualTo(80);
    assertThat(HostPort.parse("mirror.example", 80)).hasToString("mirror.example:80");
    assertThat(HostPort.parse("[2001:db8::1]:443", 80).host()).isEqualTo("2001:db8::1");
    assertThat(HostPort.parse("[2001:db8::1]", 80)).hasToString("[2001:db8::1]:80");
  }

  @Test
  void aRequiredPortMustBeWritten() {
    assertThat(HostPort.parse("example.com:443", HostPort.NO_DEFAULT_PORT).port()).isEqualTo(443);
    assertRefused(
        () -> HostPort.parse("example.com", HostPort.NO_DEFAULT_PORT), Reason.MISSING_PORT);
    assertRefused(() -> HostPort.parse("[::1]", HostPort.NO_DEFAULT_PORT), Reason.MISSING_PORT);
  }

  @Test
  void portsRunFromOneTo65535ExceptThatAnEndpointMayAskForAnyFreePort() {
    assertRefused(() -> HostPort.parse("example.com:0", 80), Reason.BAD_PORT);
    assertRefused(() -> HostPort.parse("example.com:65536", 80), Reason.BAD_PORT);
    assertThat(HostPort.parseEndpoint("0.0.0.0:0").port()).isZero();
    assertThat(HostPort.parseEndpoint("0.0.0.0:65535").port()).isEqualTo(65535);
    assertRefused(() -> HostPort.parseEndpoint("0.0.0.0:65536"), Reason.BAD_PORT);
    assertRefused(() -> HostPort.parseEndpoint("0.0.0.0"), Reason.MISSING_PORT);
    assertRefused(() -> HostPort.parseEndpoint("0.0.0.0:"), Reason.BAD_PORT);
    assertThatThrownBy(() -> HostPort.parseEndpoint("0.0.0.0:http"))
        .isInstanceOfSatisfying(
            MalformedAddress.class, e -> assertThat(e.part()).isEqualTo("http"));
  }

  @Test
  void endpointsReadIpv6OnlyInBrackets() {
    assertThat(HostPort.parseEndpoint("[::]:3128").host()).isEqualTo("::");
    assertThat(HostPort.parseEndpoint("[::1]:3128").isIpv6Literal()).isTrue();
    assertRefused(() -> HostPort.parseEndpoint("::1:3128"), Reason.UNBRACKETED_IPV6);
    assertRefused(() -> HostPort.parseEndpoint("[::1:3128"), Reason.BAD_IPV6);
    assertRefused(() -> HostPort.parseEndpoint("[]:3128"), Reason.NO_HOST);
    assertRefused(() -> HostPort.parseEndpoint(":3128"), Reason.NO_HOST);
    assertRefused(() -> HostPort.parseEndpoint("my host:3128"), Reason.BAD_HOST);
  }

  @Test
  void anAuthorityMayNameAnIpv6ZoneWhichKeepsItsCase() {
    HostPort zoned = HostPort.parse("[FE80::1%Eth0]:7432", 80);

    assertThat(zoned.host()).isEqualTo("fe80::1%Eth0");
    assertThat(zoned.hasZone()).isTrue();
    assertRefused(() -> HostPort.parse("[fe80::1%]:80", 80), Reason.BAD_IPV6);
    assertRefused(() -> HostPort.parse("[fe80::1%eth 0]:80", 80), Reason.BAD_IPV6);
    assertRefused(() -> HostPort.parse("[fe80::1%eth0%1]:80", 80), Reason.BAD_IPV6);
  }

  @Test
  void ipv6TextIsValidatedWithoutAnyLookup() {
    assertRefused(() -> HostPort.parse("[.::1]", 80), Reason.BAD_IPV6);
    assertRefused(() -> HostPort.parse("[g::1]", 80), Reason.BAD_IPV6);
    assertRefused(() -> HostPort.parse("[localhost]", 80), Reason.BAD_IPV6);
    assertRefused(() -> HostPort.parse("[12345::1]", 80), Reason.BAD_IPV6);
    assertRefused(() -> HostPort.parse("[::1]:80:80", 80), Reason.BAD_PORT);
    assertRefused(() -> HostPort.parse("[::\u0661]", 80), Reason.BAD_IPV6);
    assertThat(HostPort.parse("[0000:0000:0000:0000:0000:ffff:255.255.255.255]", 80).host())
        .isEqualTo("0000:0000:0000:0000:0000:ffff:255.255.255.255");
  }

  @Test
  void aHostGivenAloneMayBeANameAnIpv4OrAnIpv6WithOrWithoutBrackets() {
    assertThat(HostPort.of("Router.LAN", 7432).host()).isEqualTo("router.lan");
    assertThat(HostPort.of("::1", 7432)).isEqualTo(HostPort.of("[::1]", 7432));
    assertThat(HostPort.of("::1", 7432)).hasToString("[::1]:7432");
    assertRefused(() -> HostPort.of("", 7432), Reason.NO_HOST);
    assertRefused(() -> HostPort.of("[]", 7432), Reason.NO_HOST);
    assertRefused(() -> HostPort.of("[1.2.3.4]", 7432), Reason.BAD_IPV6);
    assertRefused(() -> HostPort.of("router.lan", 65536), Reason.BAD_PORT);
    assertRefused(() -> HostPort.of("router.lan:80", 80), Reason.BAD_IPV6);
  }

  @Test
  void onlyCanonicalDottedQuadsAreIpv4Literals() {
    assertThat(HostPort.of("93.184.216.34", 80).isIpv4Literal()).isTrue();
    assertThat(HostPort.of("0.0.0.0", 80).isIpv4Literal()).isTrue();
    assertThat(HostPort.of("255.255.255.255", 80).isIpv4Literal()).isTrue();
    for (String obfuscated :
        new String[] {
          "2130706433",
          "0x7f.1",
          "0x7f000001",
          "127.1",
          "127.0.1",
          "0177.0.0.1",
          "127.000.000.001",
          "256.0.0.1",
          "1.2.3.4.5",
          "1.2.3.",
          "0x7f.0.0.1",
          "00.0.0.0",
          "deadbeef"
        }) {
      HostPort host = HostPort.of(obfuscated, 80);
      assertThat(host.isIpv4Literal()).as(obfuscated).isFalse();
      assertThat(host.looksNumeric()).as(obfuscated).isTrue();
    }
    assertThat(HostPort.of("example.com", 80).looksNumeric()).isFalse();
    assertThat(HostPort.of("::1", 80).looksNumeric()).isFalse();
  }

  @Test
  void dnsNamesHaveLabelsOfOneTo63CharactersAnd253InAll() {
    assertThat(HostPort.of("example.com", 80).isDnsName()).isTrue();
    assertThat(HostPort.of("a-b_c.example", 80).isDnsName()).isTrue();
    assertThat(HostPort.of("exa_mple..com", 80).isDnsName()).isFalse();
    assertThat(HostPort.of(".example", 80).isDnsName()).isFalse();
    assertThat(HostPort.of("-a.example", 80).isDnsName()).isFalse();
    assertThat(HostPort.of("a".repeat(63) + ".example", 80).isDnsName()).isTrue();
    assertThat(HostPort.of("a".repeat(64) + ".example", 80).isDnsName()).isFalse();
    assertThat(HostPort.of(("a".repeat(62) + ".").repeat(4) + "ab", 80).isDnsName()).isFalse();
    assertThat(HostPort.of("::1", 80).isDnsName()).isFalse();
  }

  @Test
  void oneTrailingDotCanBeDropped() {
    assertThat(HostPort.of("localhost.", 80).withoutTrailingDot().host()).isEqualTo("localhost");
    assertThat(HostPort.of("localhost", 80).withoutTrailingDot().host()).isEqualTo("localhost");
    assertThat(HostPort.of("a..", 80).withoutTrailingDot().host()).isEqualTo("a.");
    assertRefused(() -> HostPort.of(".", 80).withoutTrailingDot(), Reason.NO_HOST);
  }

  @Test
  void literalAddressesAreReadWithoutDnsAndNamesStayNames() throws Exception {
    assertThat(HostPort.of("10.0.0.7", 1).literalAddress())
        .contains(InetAddress.getByName("10.0.0.7"));
    assertThat(HostPort.of("[2001:db8::1]", 1).literalAddress())
        .contains(InetAddress.getByName("2001:db8::1"));
    assertThat(HostPort.of("localhost", 1).literalAddress()).isEmpty();
    assertThat(HostPort.of("127.1", 1).literalAddress()).isEmpty();
    assertThat(HostPort.of("2130706433", 1).literalAddress()).isEmpty();
    assertThat(HostPort.of("fe80::1%no-such-interface-here", 1).literalAddress()).isEmpty();
  }

  private static void assertRefused(Runnable parse, Reason reason) {
    assertThatThrownBy(parse::run)
        .isInstanceOfSatisfying(
            MalformedAddress.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
