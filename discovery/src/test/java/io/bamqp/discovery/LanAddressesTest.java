package io.bamqp.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LanAddressesTest {

  @Test
  void configuredAddressesAreTakenAsTheyAreEvenOnTheWanSide() throws UnknownHostException {
    assertThat(LanAddresses.choose(List.of("203.0.113.7", "192.168.1.1"), "192.168.1.1"))
        .containsExactly(
            InetAddress.getByName("203.0.113.7"), InetAddress.getByName("192.168.1.1"));
  }

  @Test
  void onlyPrivateIpv4AddressesOtherThanTheWanBindAddressAreLanSide() throws UnknownHostException {
    List<InetAddress> machine =
        addresses(
            "10.0.0.2",
            "203.0.113.7",
            "172.16.4.1",
            "127.0.0.1",
            "169.254.3.3",
            "fec0::1",
            "fd00::1",
            "192.168.1.20",
            "192.168.1.1");

    assertThat(LanAddresses.lanSide(machine, "192.168.1.1"))
        .containsExactlyElementsOf(addresses("10.0.0.2", "172.16.4.1", "192.168.1.20"));
  }

  @Test
  void theWildcardWanBindAddressExcludesNothing() throws UnknownHostException {
    assertThat(LanAddresses.lanSide(addresses("10.0.0.2"), "0.0.0.0"))
        .containsExactlyElementsOf(addresses("10.0.0.2"));
  }

  @Test
  void thisMachineAnnouncesOnPrivateIpv4AddressesOnly() {
    assertThat(LanAddresses.choose(List.of(), "0.0.0.0"))
        .allSatisfy(
            address -> {
              assertThat(address.getAddress()).hasSize(4);
              assertThat(address.isSiteLocalAddress()).isTrue();
            });
  }

  private static List<InetAddress> addresses(String... literals) throws UnknownHostException {
    InetAddress[] parsed = new InetAddress[literals.length];
    for (int i = 0; i < literals.length; i++) {
      parsed[i] = InetAddress.getByName(literals[i]);
    }
    return Arrays.asList(parsed);
  }
}
