package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnSocketsTest {
  private final OwnSockets own = OwnSockets.snapshot(List.of(3128, 7432));

  @Test
  void loopbackOnAListeningPortIsOwn() throws Exception {
    assertThat(own.isOwn(InetAddress.getByName("127.0.0.1"), 3128)).isTrue();
    assertThat(own.isOwn(InetAddress.getByName("127.9.9.9"), 7432)).isTrue();
    assertThat(own.isOwn(InetAddress.getByName("::1"), 3128)).isTrue();
    assertThat(own.isOwn(InetAddress.getByName("0.0.0.0"), 3128)).isTrue();
  }

  @Test
  void otherPortsOnThisMachineAreNotOwn() throws Exception {
    assertThat(own.isOwn(InetAddress.getByName("127.0.0.1"), 8080)).isFalse();
    assertThat(own.isOwnPort(8080)).isFalse();
  }

  @Test
  void aForeignAddressIsNotOwnEvenOnAListeningPort() throws Exception {
    assertThat(own.isOwn(InetAddress.getByName("203.0.113.7"), 3128)).isFalse();
  }
}
