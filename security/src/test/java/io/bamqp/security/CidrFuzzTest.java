package io.bamqp.security;

import static io.bamqp.security.Fuzz.anyStrings;
import static io.bamqp.security.Fuzz.bytes;
import static io.bamqp.security.Fuzz.ints;
import static io.bamqp.security.Fuzz.of;
import static io.bamqp.security.Fuzz.oneOf;
import static io.bamqp.security.Fuzz.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.Fuzz.Gen;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests of CIDR blocks from the config ({@code allowedClients}, {@code
 * allowDestinations}): any text is a block or an {@link IllegalArgumentException}, never a DNS
 * lookup or another failure; a block prints back to itself and contains exactly the addresses whose
 * first {@code prefix} bits are its network's.
 */
class CidrFuzzTest {

  private static final Gen<String> BLOCKS = blocks();
  private static final List<String> EDGE_CASES =
      List.of("", " ", "/", "0.0.0.0/0", "::/0", "::/128", "255.255.255.255/32", "1.2.3.4/33");

  @Test
  void anyTextIsABlockThatPrintsBackToItselfOrIsRefused() {
    Fuzz.check(
        "anyTextIsABlockThatPrintsBackToItselfOrIsRefused",
        2000,
        EDGE_CASES,
        BLOCKS,
        text -> {
          Cidr block;
          try {
            block = Cidr.parse(text);
          } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
          }
          assertThat(Cidr.parse(block.toString())).isEqualTo(block);
          assertThat(block.toString()).matches("[0-9a-f:.]+/\\d{1,3}");
        });
  }

  record Membership(byte[] network, byte[] candidate, int prefix) {}

  @Test
  void aBlockContainsAnAddressExactlyWhenTheirPrefixesAgree() {
    Gen<byte[]> addresses = oneOf(bytes(4, 4), bytes(16, 16));
    Gen<Integer> prefixes = ints(0, 128);
    Fuzz.check(
        "aBlockContainsAnAddressExactlyWhenTheirPrefixesAgree",
        2000,
        List.of(
            new Membership(new byte[4], new byte[4], 0),
            new Membership(new byte[4], new byte[] {-1, -1, -1, -1}, 32),
            new Membership(new byte[16], new byte[16], 128),
            new Membership(new byte[16], new byte[4], 0)),
        random ->
            new Membership(
                addresses.apply(random), addresses.apply(random), prefixes.apply(random)),
        input -> {
          byte[] network = input.network();
          if (Cidr.unmapIpv4(network).length != network.length) {
            return; // an IPv4-mapped network is read as IPv4: another property's business
          }
          byte[] other = Arrays.copyOf(input.candidate(), network.length);
          int bits = Math.min(input.prefix(), network.length * 8);
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
        });
  }

  @Test
  void theWholeIpv4SpaceContainsExactlyTheTextsThatAreOneIpv4Address() {
    Cidr everything = Cidr.parse("0.0.0.0/0");
    Fuzz.check(
        "theWholeIpv4SpaceContainsExactlyTheTextsThatAreOneIpv4Address",
        1000,
        EDGE_CASES,
        BLOCKS,
        address -> {
          boolean contained = everything.contains(address);
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
        });
  }

  private static Gen<String> blocks() {
    Gen<String> addresses =
        of(
            "10.0.0.0",
            "192.168.1.77",
            "::",
            "::1",
            "fc00::",
            "[fe80::1]",
            "::ffff:10.1.2.3",
            "2001:db8::");
    Gen<Integer> prefixes = ints(0, 200);
    Gen<String> separators = of("", "/", " ");
    Gen<String> valid =
        random -> {
          String a = addresses.apply(random);
          int p = prefixes.apply(random);
          String sep = separators.apply(random);
          return sep.equals("/") ? a + "/" + p : a + sep;
        };
    return oneOf(
        valid,
        HostPortFuzzTest.mutated(valid),
        strings("0123456789abcdefx.:/[]% -+", 0, 45),
        anyStrings(20));
  }
}
