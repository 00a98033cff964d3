package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based tests of the one host parser: whatever text arrives (a request target, a {@code
 * Host} header, a config value), it is read into a host and port that cannot split a request line,
 * or refused with a {@link MalformedAddress}, and never hangs. Seeds and failing samples are kept
 * in {@code target/jqwik-database}; a failure prints the seed that reproduces it.
 */
class HostPortFuzzTest {
  @Property(tries = 3000)
  void anyAuthorityIsReadIntoASafeHostAndPortOrRefusedAsMalformed(
      @ForAll("authorities") String authority) throws Exception {
    HostPort parsed;
    try {
      parsed = HangDetector.call(() -> HostPort.parse(authority, 80));
    } catch (MalformedAddress refused) {
      assertThat(refused.reason()).isNotNull();
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    assertSafe(parsed);
    assertThat(parsed.port()).isBetween(1, 65_535);
  }

  @Property(tries = 2000)
  void anEndpointTakesPortZeroToMeanAnyButNeverMore(@ForAll("authorities") String authority)
      throws Exception {
    try {
      HostPort parsed = HangDetector.call(() -> HostPort.parseEndpoint(authority));
      assertSafe(parsed);
      assertThat(parsed.port()).isBetween(0, 65_535);
      assertThat(HostPort.parseEndpoint(parsed.toString())).isEqualTo(parsed);
    } catch (MalformedAddress refused) {
      assertThat(refused.reason()).isNotNull();
    }
  }

  @Property(tries = 2000)
  void whatIsAcceptedPrintsAsTextThatReadsBackToTheSameHostAndPort(
      @ForAll("authorities") String authority) throws Exception {
    HostPort parsed;
    try {
      parsed = HostPort.parse(authority, 80);
    } catch (MalformedAddress refused) {
      return;
    }
    assertThat(HostPort.parse(parsed.toString(), HostPort.NO_DEFAULT_PORT)).isEqualTo(parsed);
    assertThat(HostPort.of(parsed.host(), parsed.port())).isEqualTo(parsed);
    assertThat(HostPort.parse(parsed.hostInUrl(), parsed.port())).isEqualTo(parsed);
  }

  @Property(tries = 1000)
  void aHostGivenOnItsOwnIsReadTheSameWayOrRefused(
      @ForAll("hosts") String host, @ForAll("ports") int port) throws Exception {
    try {
      HostPort parsed = HangDetector.call(() -> HostPort.of(host, port));
      assertSafe(parsed);
      assertThat(parsed.port()).isEqualTo(port).isBetween(0, 65_535);
    } catch (MalformedAddress refused) {
      assertThat(refused.reason()).isNotNull();
    }
  }

  @Property(tries = 1000)
  void aNumericLookingHostIsAnIpv4LiteralOnlyInCanonicalDottedQuadForm(
      @ForAll("authorities") String authority) throws Exception {
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

  /** Characters that have broken host parsers: separators, controls, look-alikes, wide digits. */
  static Arbitrary<Character> hostileCharacters() {
    return Arbitraries.of(
        ':', '[', ']', '%', '@', '/', '\\', '?', '#', ' ', '\t', '\r', '\n', '\0', '.', '-', '_',
        '+', '\u212a', '\u0131', '\u0660', '\uff11', '\u00a0', '\u2028', '\ufeff', '\ud800',
        '\u007f');
  }

  @Provide
  Arbitrary<String> hosts() {
    return Arbitraries.oneOf(
        Arbitraries.of(
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
        mutated(Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(20)),
        Arbitraries.strings()
            .withCharRange('0', '9')
            .withCharRange('a', 'f')
            .withChars(':', '.', '%', '[', ']')
            .ofMaxLength(50));
  }

  @Provide
  Arbitrary<Integer> ports() {
    return Arbitraries.integers().between(-1, 70_000).edgeCases(e -> e.includeOnly(0, 65_535));
  }

  @Provide
  Arbitrary<String> authorities() {
    Arbitrary<String> valid =
        Combinators.combine(hosts(), Arbitraries.integers().between(0, 99_999))
            .as(
                (host, port) ->
                    (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host)
                        + ":"
                        + port);
    return Arbitraries.oneOf(
        valid,
        mutated(valid),
        Arbitraries.strings()
            .withChars("abcxyzABZ0123456789:.[]%@/ -_")
            .withCharRange('\0', '\u00ff')
            .ofMaxLength(80),
        Arbitraries.strings().all().ofMaxLength(40),
        Arbitraries.strings().withChars('a', '.').ofMinLength(250).ofMaxLength(300),
        Arbitraries.strings().withChars('0', '9', ':').ofMinLength(1).ofMaxLength(30));
  }

  /** {@code text} with a hostile character inserted, a character replaced, or cut short. */
  static Arbitrary<String> mutated(Arbitrary<String> texts) {
    return Combinators.combine(
            texts,
            hostileCharacters(),
            Arbitraries.integers().between(0, 1000),
            Arbitraries.integers().between(0, 2))
        .as(
            (text, c, where, how) -> {
              int at = text.isEmpty() ? 0 : where % (text.length() + 1);
              return switch (how) {
                case 0 -> text.substring(0, at) + c + text.substring(at);
                case 1 ->
                    at < text.length() ? text.substring(0, at) + c + text.substring(at + 1) : text;
                default -> text.substring(0, at);
              };
            });
  }
}
