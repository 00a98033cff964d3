package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based tests of the SSRF guard: for any method and URL a neighbor sends, and any
 * addresses its name resolves to, {@link DestinationPolicy#vet} either refuses with a {@link
 * DestinationRefused} or returns a destination that is safe to connect to: a standard port, an
 * address that is public unicast and not this node's (or inside {@code allowDestinations}), and a
 * {@code Host} header that cannot split a request. Names resolve through a generated resolver: no
 * DNS.
 */
class DestinationPolicyFuzzTest {
  private static final OwnSockets OWN = OwnSockets.snapshot(List.of(3128, 7432));
  private static final Cidr LAN_MIRROR = Cidr.parse("192.168.7.0/24");

  @Property(tries = 3000)
  void aVettedDestinationIsPublicOnAStandardPortOrExplicitlyAllowed(
      @ForAll("methods") String method,
      @ForAll("urls") String url,
      @ForAll("resolved") List<byte[]> resolved,
      @ForAll boolean withLanMirror)
      throws Exception {
    DestinationPolicy policy =
        DestinationPolicy.create(
            withLanMirror ? List.of(LAN_MIRROR) : List.of(), OWN, host -> resolve(host, resolved));
    Destination destination;
    try {
      destination = HangDetector.call(() -> policy.vet(method, url));
    } catch (DestinationRefused refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    assertThat(method).isEqualTo("GET");
    InetAddress address = destination.address();
    boolean allowed = withLanMirror && LAN_MIRROR.contains(address);
    if (!allowed) {
      assertThat(destination.port()).isIn(80, 443);
      assertThat(SpecialAddresses.kindOf(address)).isNull();
      assertThat(OWN.isOwnAddress(address)).isFalse();
    }
    assertThat(OWN.isOwn(address, destination.port())).isFalse();
    assertThat(destination.hostHeader().chars()).noneMatch(c -> c <= ' ' || c == 0x7f);
    assertThat(destination.host()).doesNotEndWith(".");
    HttpUrl again = HttpUrl.parse(destination.scheme() + "://" + destination.hostHeader() + "/");
    assertThat(again.port()).isEqualTo(destination.port());
    assertThat(destination.pathAndQuery()).startsWith("/");
  }

  @Property(tries = 1000)
  void everyAddressANameResolvesToIsCheckedNotOnlyTheFirst(
      @ForAll("resolved") List<byte[]> resolved) throws Exception {
    DestinationPolicy policy =
        DestinationPolicy.create(List.of(), OWN, host -> addresses(resolved));
    InetAddress[] all = addresses(resolved);
    boolean anySpecial = all.length == 0;
    for (InetAddress address : all) {
      anySpecial |= SpecialAddresses.kindOf(address) != null || OWN.isOwnAddress(address);
    }
    try {
      policy.vet("GET", "https://mirror.example/f.iso");
      assertThat(anySpecial).as("accepted although an address is special or none").isFalse();
    } catch (DestinationRefused refused) {
      assertThat(anySpecial).as("refused: " + refused.getMessage()).isTrue();
    }
  }

  /** Literals as the system resolver reads them (no DNS for a literal); names as generated. */
  private static InetAddress[] resolve(String host, List<byte[]> resolved)
      throws UnknownHostException {
    if (host.indexOf(':') >= 0 || HostPort.parse(host, 80).isIpv4Literal()) {
      return InetAddress.getAllByName(host);
    }
    return addresses(resolved);
  }

  private static InetAddress[] addresses(List<byte[]> resolved) throws UnknownHostException {
    InetAddress[] addresses = new InetAddress[resolved.size()];
    for (int i = 0; i < addresses.length; i++) {
      addresses[i] = InetAddress.getByAddress(resolved.get(i));
    }
    return addresses;
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("GET", "GET", "GET", "get", "POST", "HEAD", "GET ", "");
  }

  @Provide
  Arbitrary<List<byte[]>> resolved() {
    Arbitrary<byte[]> known =
        Arbitraries.of(
                "93.184.216.34",
                "127.0.0.1",
                "10.0.0.1",
                "169.254.169.254",
                "192.168.7.9",
                "::ffff:127.0.0.1",
                "::ffff:8.8.8.8",
                "2606:2800:220:1::1",
                "fe80::1",
                "64:ff9b::a00:1",
                "0.0.0.0")
            .map(DestinationPolicyFuzzTest::literal);
    Arbitrary<byte[]> random =
        Arbitraries.oneOf(
            Arbitraries.bytes().array(byte[].class).ofSize(4),
            Arbitraries.bytes().array(byte[].class).ofSize(16));
    return Arbitraries.oneOf(known, random).list().ofMinSize(0).ofMaxSize(4);
  }

  private static byte[] literal(String text) {
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Provide
  Arbitrary<String> urls() {
    Arbitrary<String> hosts =
        Arbitraries.of(
            "mirror.example",
            "mirror.example.",
            "localhost.",
            "93.184.216.34",
            "127.0.0.1",
            "2130706433",
            "0x7f.1",
            "127.1",
            "0177.0.0.1",
            "[::1]",
            "[::ffff:127.0.0.1]",
            "[::ffff:8.8.8.8]",
            "[2606:2800:220:1::1]",
            "[fe80::1%25eth0]",
            "192.168.7.9",
            ".",
            "a..b");
    Arbitrary<String> valid =
        Combinators.combine(
                Arbitraries.of("http", "https"),
                hosts,
                Arbitraries.of("", ":80", ":443", ":3128", ":7432", ":8080", ":0", ":65535"),
                Arbitraries.of("", "/", "/f.iso?x=1", "/a b", "/%0d%0a"))
            .as((s, h, p, path) -> s + "://" + h + p + path);
    return Arbitraries.oneOf(valid, HostPortFuzzTest.mutated(valid));
  }
}
