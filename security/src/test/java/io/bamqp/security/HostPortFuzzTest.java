package io.bamqp.security;

import static io.bamqp.security.Fuzz.anyStrings;
import static io.bamqp.security.Fuzz.ints;
import static io.bamqp.security.Fuzz.of;
import static io.bamqp.security.Fuzz.oneOf;
import static io.bamqp.security.Fuzz.range;
import static io.bamqp.security.Fuzz.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.Fuzz.Gen;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests of the one host parser: whatever text arrives (a request target, a {@code
 * Host} header, a config value), it is read into a host and port that cannot split a request line,
 * or refused with a {@link MalformedAddress}, and never hangs. A failure prints the seed and try
 * that reproduce it ({@link Fuzz}).
 */
class HostPortFuzzTest {
  /** Characters that have broken host parsers: separators, controls, look-alikes, wide digits. */
  static final String HOSTILE =
      ":[]%@/\\?# \t\r\n\0.-_+\u212a\u0131\u0660\uff11\u00a0\u2028\ufeff\ud800\u007f";

  /** Texts no parser should choke on, tried before the generated ones. */
  static final List<String> EDGE_CASES =
      List.of("", " ", ":", "[", "]", "[]", ":0", ":65535", ":65536", "\0", "\ud800", "%");

  static final Gen<String> HOSTS =
      oneOf(
          of(
              "example.com",
              "Mirror.Example",
              "localhost.",
              "127.0.0.1",
              "0x7f.1",
              "2130706433",
              "::1",
              "[::1]",
              "fe80::1%eth0",
              "[::ffff:127.0.0.1]",
              "1:2:3:4:5:6:7:8",
              "::ffff:1.2.3.4"),
          mutated(strings(range('a', 'z'), 1, 20)),
          strings("0123456789abcdef:.%[]", 0, 50));

  static final Gen<String> AUTHORITIES = authorities();

  @Test
  void anyAuthorityIsReadIntoASafeHostAndPortOrRefusedAsMalformed() {
    Fuzz.check(
        "anyAuthorityIsReadIntoASafeHostAndPortOrRefusedAsMalformed",
        3000,
        EDGE_CASES,
        AUTHORITIES,
        authority -> {
          HostPort parsed;
          try {
            parsed = HostPort.parse(authority, 80);
          } catch (MalformedAddress refused) {
            assertThat(refused.reason()).isNotNull();
            assertThat(refused.getMessage()).isNotBlank();
            return;
          }
          assertSafe(parsed);
          assertThat(parsed.port()).isBetween(1, 65_535);
        });
  }

  @Test
  void anEndpointTakesPortZeroToMeanAnyButNeverMore() {
    Fuzz.check(
        "anEndpointTakesPortZeroToMeanAnyButNeverMore",
        2000,
        EDGE_CASES,
        AUTHORITIES,
        authority -> {
          try {
            HostPort parsed = HostPort.parseEndpoint(authority);
            assertSafe(parsed);
            assertThat(parsed.port()).isBetween(0, 65_535);
            assertThat(HostPort.parseEndpoint(parsed.toString())).isEqualTo(parsed);
          } catch (MalformedAddress refused) {
            assertThat(refused.reason()).isNotNull();
          }
        });
  }

  @Test
  void whatIsAcceptedPrintsAsTextThatReadsBackToTheSameHostAndPort() {
    Fuzz.check(
        "whatIsAcceptedPrintsAsTextThatReadsBackToTheSameHostAndPort",
        2000,
        EDGE_CASES,
        AUTHORITIES,
        authority -> {
          HostPort parsed;
          try {
            parsed = HostPort.parse(authority, 80);
          } catch (MalformedAddress refused) {
            return;
          }
          assertThat(HostPort.parse(parsed.toString(), HostPort.NO_DEFAULT_PORT)).isEqualTo(parsed);
          assertThat(HostPort.of(parsed.host(), parsed.port())).isEqualTo(parsed);
          assertThat(HostPort.parse(parsed.hostInUrl(), parsed.port())).isEqualTo(parsed);
        });
  }

  record HostAndPort(String host, int port) {}

  @Test
  void aHostGivenOnItsOwnIsReadTheSameWayOrRefused() {
    Gen<HostAndPort> inputs =
        random -> new HostAndPort(HOSTS.apply(random), ints(-1, 70_000).apply(random));
    Fuzz.check(
        "aHostGivenOnItsOwnIsReadTheSameWayOrRefused",
        1000,
        List.of(
            new HostAndPort("example.com", 0),
            new HostAndPort("example.com", 65_535),
            new HostAndPort("example.com", 65_536),
            new HostAndPort("example.com", -1),
            new HostAndPort("", 80)),
        inputs,
        input -> {
          try {
            HostPort parsed = HostPort.of(input.host(), input.port());
            assertSafe(parsed);
            assertThat(parsed.port()).isEqualTo(input.port()).isBetween(0, 65_535);
          } catch (MalformedAddress refused) {
            assertThat(refused.reason()).isNotNull();
          }
        });
  }

  @Test
  void aNumericLookingHostIsAnIpv4LiteralOnlyInCanonicalDottedQuadForm() {
    Fuzz.check(
        "aNumericLookingHostIsAnIpv4LiteralOnlyInCanonicalDottedQuadForm",
        1000,
        EDGE_CASES,
        AUTHORITIES,
        authority -> {
          HostPort parsed;
          try {
            parsed = HostPort.parse(authority, 80);
          } catch (MalformedAddress refused) {
            return;
          }
          if (parsed.isIpv4Literal()) {
            assertThat(parsed.looksNumeric()).isTrue();
            String[] octets = parsed.host().split("\\.");
            assertThat(octets).hasSize(4);
            for (String octet : octets) {
              assertThat(Integer.toString(Integer.parseInt(octet))).isEqualTo(octet);
              assertThat(Integer.parseInt(octet)).isBetween(0, 255);
            }
            assertThat(parsed.literalAddress()).isPresent();
          }
          if (parsed.isDnsName()) {
            assertThat(parsed.host().length()).isLessThanOrEqualTo(253);
          }
        });
  }

  /** A host that cannot split a request line, smuggle user info or leave the authority. */
  static void assertSafe(HostPort parsed) {
    String host = parsed.host();
    assertThat(host).isNotEmpty();
    assertThat(host.chars())
        .allMatch(c -> c > ' ' && c < 0x7f, "printable ASCII")
        .noneMatch(c -> "/?#@[]\\ ".indexOf(c) >= 0);
    if (parsed.isIpv6Literal()) {
      assertThat(parsed.hostInUrl()).startsWith("[").endsWith("]");
    } else {
      assertThat(host).isLowerCase().doesNotContain(":");
    }
  }

  private static Gen<String> authorities() {
    Gen<String> valid =
        random -> {
          String host = HOSTS.apply(random);
          int port = ints(0, 99_999).apply(random);
          return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host)
              + ":"
              + port;
        };
    return oneOf(
        valid,
        mutated(valid),
        strings("abcxyzABZ0123456789:.[]%@/ -_" + range('\0', '\u00ff'), 0, 80),
        anyStrings(40),
        strings("a.", 250, 300),
        strings("09:", 1, 30));
  }

  /** {@code text} with a hostile character inserted, a character replaced, or cut short. */
  static Gen<String> mutated(Gen<String> texts) {
    return Fuzz.mutated(texts, HOSTILE);
  }
}
