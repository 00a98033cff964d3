package io.bamqp.security;

import static io.bamqp.security.Fuzz.booleans;
import static io.bamqp.security.Fuzz.bytes;
import static io.bamqp.security.Fuzz.of;
import static io.bamqp.security.Fuzz.oneOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.Fuzz.Gen;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests of the SSRF guard: for any method and URL a neighbor sends, and any
 * addresses its name resolves to, {@link DestinationPolicy#vet} either refuses with a {@link
 * DestinationRefused} or returns a destination that is safe to connect to: a standard port, an
 * address that is public unicast and not this node's (or inside {@code allowDestinations}), and a
 * {@code Host} header that cannot split a request. Names resolve through a generated resolver: no
 * DNS.
 */
class DestinationPolicyFuzzTest {
  private static final OwnSockets OWN = OwnSockets.read().listening(3128).listening(7432);
  private static final Cidr LAN_MIRROR = Cidr.parse("192.168.7.0/24");

  private static final Gen<List<byte[]>> RESOLVED = resolved();

  record Request(String method, String url, List<byte[]> resolved, boolean withLanMirror) {}

  @Test
  void aVettedDestinationIsPublicOnAStandardPortOrExplicitlyAllowed() {
    Gen<String> methods = of("GET", "GET", "GET", "get", "POST", "HEAD", "GET ", "");
    Gen<String> urls = urls();
    Gen<Boolean> lanMirror = booleans();
    Fuzz.check(
        "aVettedDestinationIsPublicOnAStandardPortOrExplicitlyAllowed",
        3000,
        List.of(
            new Request("GET", "http://mirror.example/", List.of(), false),
            new Request("GET", "http://mirror.example/", List.of(literal("0.0.0.0")), false),
            new Request("GET", "http://192.168.7.9:3128/", List.of(), true),
            new Request("", "", List.of(), false)),
        random ->
            new Request(
                methods.apply(random),
                urls.apply(random),
                RESOLVED.apply(random),
                lanMirror.apply(random)),
        input -> {
          String method = input.method();
          DestinationPolicy policy =
              DestinationPolicy.create(
                  input.withLanMirror() ? List.of(LAN_MIRROR) : List.of(),
                  OWN,
                  host -> resolve(host, input.resolved()));
          Destination destination;
          try {
            destination = policy.vet(method, input.url());
          } catch (DestinationRefused refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
          }
          assertThat(method).isEqualTo("GET");
          InetAddress address = destination.address();
          boolean allowed = input.withLanMirror() && LAN_MIRROR.contains(address);
          if (!allowed) {
            assertThat(destination.port()).isIn(80, 443);
            assertThat(SpecialAddresses.kindOf(address)).isNull();
            assertThat(OWN.isOwnAddress(address)).isFalse();
          }
          assertThat(OWN.isOwn(address, destination.port())).isFalse();
          assertThat(destination.hostHeader().chars()).noneMatch(c -> c <= ' ' || c == 0x7f);
          assertThat(destination.host()).doesNotEndWith(".");
          HttpUrl again =
              HttpUrl.parse(destination.scheme() + "://" + destination.hostHeader() + "/");
          assertThat(again.port()).isEqualTo(destination.port());
          assertThat(destination.pathAndQuery()).startsWith("/");
        });
  }

  @Test
  void everyAddressANameResolvesToIsCheckedNotOnlyTheFirst() {
    Fuzz.check(
        "everyAddressANameResolvesToIsCheckedNotOnlyTheFirst",
        1000,
        List.of(
            List.of(),
            List.of(literal("93.184.216.34"), literal("127.0.0.1")),
            List.of(literal("2606:2800:220:1::1"), literal("::ffff:127.0.0.1"))),
        RESOLVED,
        resolved -> {
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
        });
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

  private static Gen<List<byte[]>> resolved() {
    Gen<byte[]> known =
        of(
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
    Gen<byte[]> random = oneOf(bytes(4, 4), bytes(16, 16));
    return oneOf(known, random).list(0, 4);
  }

  private static byte[] literal(String text) {
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static Gen<String> urls() {
    Gen<String> schemes = of("http", "https");
    Gen<String> hosts =
        of(
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
    Gen<String> ports = of("", ":80", ":443", ":3128", ":7432", ":8080", ":0", ":65535");
    Gen<String> paths = of("", "/", "/f.iso?x=1", "/a b", "/%0d%0a");
    Gen<String> valid =
        random ->
            schemes.apply(random)
                + "://"
                + hosts.apply(random)
                + ports.apply(random)
                + paths.apply(random);
    return oneOf(valid, HostPortFuzzTest.mutated(valid));
  }
}
