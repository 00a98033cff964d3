package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OwnSocketsTest {
  private final OwnSockets own = OwnSockets.read().listening(3128).listening(7432);

  /** A machine whose interfaces the test changes, read with a clock the test moves. */
  private static final class Machine {
    final AtomicReference<List<InetAddress>> addresses = new AtomicReference<>(List.of());
    final AtomicInteger reads = new AtomicInteger();
    final AtomicLong nanos = new AtomicLong();

    OwnSockets own() {
      return OwnSockets.read(
          () -> {
            reads.incrementAndGet();
            return addresses.get();
          },
          nanos::get);
    }

    void later(java.time.Duration by) {
      nanos.addAndGet(by.toNanos());
    }
  }

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

  @Test
  void everyInterfaceAddressIsOwnNotOnlyLoopback() throws Exception {
    for (InetAddress address : InterfaceAddresses.all()) {
      assertThat(own.isOwnAddress(address)).as(address.toString()).isTrue();
      assertThat(own.isOwn(address, 7432)).as(address.toString()).isTrue();
    }
  }

  @Test
  void aPortRegisteredLaterCountsOnEveryAddressOfTheNode() throws Exception {
    Machine machine = new Machine();
    machine.addresses.set(List.of(InetAddress.getByName("192.168.1.1")));
    OwnSockets sockets = machine.own();
    assertThat(sockets.isOwn(InetAddress.getByName("192.168.1.1"), 8080)).isFalse();

    sockets.listening(8080);

    assertThat(sockets.isOwn(InetAddress.getByName("192.168.1.1"), 8080)).isTrue();
    assertThat(sockets.isOwn(InetAddress.getByName("::ffff:192.168.1.1"), 8080)).isTrue();
    assertThat(sockets.isOwn(InetAddress.getByName("127.0.0.1"), 8080)).isTrue();
    assertThat(sockets.isOwn(InetAddress.getByName("192.168.1.2"), 8080)).isFalse();
  }

  @Test
  void aReReadTakesTheNewAddressesAndDropsTheOldOnesKeepingThePorts() throws Exception {
    Machine machine = new Machine();
    InetAddress before = InetAddress.getByName("100.64.0.7");
    InetAddress after = InetAddress.getByName("198.51.100.9");
    machine.addresses.set(List.of(before));
    OwnSockets sockets = machine.own().listening(3128);

    machine.addresses.set(List.of(after));
    assertThat(sockets.isOwnAddress(after)).isFalse();
    assertThat(sockets.reread()).isTrue();

    assertThat(sockets.isOwnAddress(after)).isTrue();
    assertThat(sockets.isOwnAddress(before)).isFalse();
    assertThat(sockets.isOwn(after, 3128)).isTrue();
    assertThat(sockets.reread()).as("nothing changed").isFalse();
  }

  @Test
  void anUnknownDestinationReReadsTheAddressesAtMostOncePerGap() throws Exception {
    Machine machine = new Machine();
    OwnSockets sockets = machine.own();
    InetAddress leased = InetAddress.getByName("203.0.113.50");
    machine.addresses.set(List.of(leased));
    int reads = machine.reads.get();

    sockets.recheck(leased);
    assertThat(machine.reads.get()).as("read just now: no re-read yet").isEqualTo(reads);
    assertThat(sockets.isOwnAddress(leased)).isFalse();

    machine.later(OwnSockets.MIN_REREAD_GAP);
    sockets.recheck(leased);
    assertThat(machine.reads.get()).isEqualTo(reads + 1);
    assertThat(sockets.isOwnAddress(leased)).isTrue();

    sockets.recheck(InetAddress.getByName("203.0.113.51"));
    assertThat(machine.reads.get()).as("within the gap").isEqualTo(reads + 1);
  }

  @Test
  void aKnownDestinationNeverCostsARead() throws Exception {
    Machine machine = new Machine();
    machine.addresses.set(List.of(InetAddress.getByName("192.168.1.1")));
    OwnSockets sockets = machine.own();
    int reads = machine.reads.get();
    machine.later(OwnSockets.REREAD_INTERVAL);

    sockets.recheck(InetAddress.getByName("192.168.1.1"), InetAddress.getByName("127.0.0.1"));

    assertThat(machine.reads.get()).isEqualTo(reads);
  }

  @Test
  void anInterfaceListThatCannotBeReadKeepsWhatWasKnown() throws Exception {
    AtomicReference<List<InetAddress>> listed =
        new AtomicReference<>(List.of(InetAddress.getByName("192.168.1.1")));
    OwnSockets sockets =
        OwnSockets.read(
            () -> {
              List<InetAddress> now = listed.get();
              if (now == null) {
                throw new SocketException("no interfaces");
              }
              return now;
            },
            System::nanoTime);
    listed.set(null);

    assertThat(sockets.reread()).isFalse();

    assertThat(sockets.isOwnAddress(InetAddress.getByName("192.168.1.1"))).isTrue();
  }
}
