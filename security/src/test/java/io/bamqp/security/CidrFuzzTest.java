package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based tests of CIDR blocks from the config ({@code allowedClients}, {@code
 * allowDestinations}): any text is a block or an {@link IllegalArgumentException}, never a DNS
 * lookup or another failure; a block prints back to itself and contains exactly the addresses whose
 * first {@code prefix} bits are its network's.
 */
class CidrFuzzTest {

  @Property(tries = 2000)
  void anyTextIsABlockThatPrintsBackToItselfOrIsRefused(@ForAll("blocks") String text)
      throws Exception {
    Cidr block;
    try {
      block = HangDetector.call(() -> Cidr.parse(text));
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    assertThat(Cidr.parse(block.toString())).isEqualTo(block);
    assertThat(block.toString()).matches("[0-9a-f:.]+/\\d{1,3}");
  }

  @Property(tries = 2000)
  void aBlockContainsAnAddressExactlyWhenTheirPrefixesAgree(
      @ForAll("addresses") byte[] network,
      @ForAll("addresses") byte[] candidate,
      @ForAll("prefixes") int prefix)
      throws Exception {
    if (Cidr.unmapIpv4(network).length != network.length) {
      return; // an IPv4-mapped network is read as IPv4: another property's business
    }
    byte[] other = Arrays.copyOf(candidate, network.length);
    int bits = Math.min(prefix, network.length * 8);
    Cidr block = Cidr.parse(InetAddress.getByAddress(network).getHostAddress() + "/" + bits);
    boolean samePrefix = true;
    for (int bit = 0; bit < bits; bit++) {
      int mask = 0x80 >>> (bit % 8);
      samePrefix &= (network[bit / 8] & mask) == (other[bit / 8] & mask);
    }
    InetAddress address = InetAddress.getByAddress(other);
    if (Cidr.unmapIpv4(other).length == other.length) {
      assertThat(block.contains(address)).isEqualTo(samePrefix);
      assertThat(block.contains(address.getHostAddress())).isEqualTo(samePrefix);
    }
    assertThat(block.contains(InetAddress.getByAddress(network))).isTrue();
  }

  @Property(tries = 1000)
  void theWholeIpv4SpaceContainsExactlyTheTextsThatAreOneIpv4Address(
      @ForAll("blocks") String address) throws Exception {
    Cidr everything = Cidr.parse("0.0.0.0/0");
    boolean contained = HangDetector.call(() -> everything.contains(address));
    boolean oneIpv4Address;
    try {
      oneIpv4Address =
          address.equals(address.trim())
              && address.indexOf('/') < 0
              && Cidr.parse(address).toString().endsWith("/32");
    } catch (IllegalArgumentException notAnAddress) {
      oneIpv4Address = false;
    }
    assertThat(contained).isEqualTo(oneIpv4Address);
  }

  @Provide
  Arbitrary<byte[]> addresses() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofSize(4),
        Arbitraries.bytes().array(byte[].class).ofSize(16));
  }

  @Provide
  Arbitrary<Integer> prefixes() {
    return Arbitraries.integers().between(0, 128);
  }

  @Provide
  Arbitrary<String> blocks() {
    Arbitrary<String> valid =
        Combinators.combine(
                Arbitraries.of(
                    "10.0.0.0",
                    "192.168.1.77",
                    "::",
                    "::1",
                    "fc00::",
                    "[fe80::1]",
                    "::ffff:10.1.2.3",
                    "2001:db8::"),
                Arbitraries.integers().between(0, 200),
                Arbitraries.of("", "/", " "))
            .as((a, p, sep) -> sep.equals("/") ? a + "/" + p : a + sep);
    return Arbitraries.oneOf(
        valid,
        HostPortFuzzTest.mutated(valid),
        Arbitraries.strings().withChars("0123456789abcdefx.:/[]% -+").ofMaxLength(45),
        Arbitraries.strings().all().ofMaxLength(20));
  }
}
