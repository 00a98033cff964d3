package io.bamqp.proxy.forward.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ClientSlotsTest {
  private final List<String> closed = new ArrayList<>();

  private ClientSlots.Admission admit(ClientSlots slots, String client, String name) {
    return slots.admit(client, () -> closed.add(name));
  }

  @Test
  void oneAddressGetsAtMostItsShareAndOthersStillGetSlots() {
    ClientSlots slots = new ClientSlots(10, 2);

    assertThat(admit(slots, "10.0.0.1", "a").slot()).isNotNull();
    assertThat(admit(slots, "10.0.0.1", "b").slot()).isNotNull();
    ClientSlots.Admission third = admit(slots, "10.0.0.1", "c");
    ClientSlots.Admission other = admit(slots, "10.0.0.2", "d");

    assertThat(third.slot()).isNull();
    assertThat(third.refusal())
        .isEqualTo("too many connections from 10.0.0.1 (proxy.maxConnectionsPerClient: 2)");
    assertThat(other.slot()).isNotNull();
    assertThat(slots.held()).isEqualTo(3);
  }

  @Test
  void aFullProxyShedsTheConnectionIdleTheLongest() {
    ClientSlots slots = new ClientSlots(3, 10);
    ClientSlots.Slot first = admit(slots, "10.0.0.1", "first").slot();
    ClientSlots.Slot second = admit(slots, "10.0.0.2", "second").slot();
    admit(slots, "10.0.0.3", "busy");
    slots.idle(second);
    slots.idle(first);

    ClientSlots.Admission newcomer = admit(slots, "10.0.0.4", "newcomer");
    newcomer.closeShed();

    assertThat(newcomer.slot()).isNotNull();
    assertThat(closed).containsExactly("second");
    assertThat(slots.held()).isEqualTo(3);
    assertThat(slots.idle()).isEqualTo(1);
  }

  @Test
  void aConnectionBusyAgainIsNotShedAndWithNoneIdleTheNewcomerIsRefused() {
    ClientSlots slots = new ClientSlots(1, 10);
    ClientSlots.Slot only = admit(slots, "10.0.0.1", "only").slot();
    slots.idle(only);
    slots.busy(only);

    ClientSlots.Admission newcomer = admit(slots, "10.0.0.2", "newcomer");

    assertThat(newcomer.slot()).isNull();
    assertThat(newcomer.refusal())
        .isEqualTo("too many client connections (proxy.maxClientConnections: 1)");
    assertThat(closed).isEmpty();
  }

  @Test
  void anAddressAtItsLimitShedsItsOwnIdleConnectionNotAnothers() {
    ClientSlots slots = new ClientSlots(10, 2);
    ClientSlots.Slot stranger = admit(slots, "10.0.0.9", "stranger").slot();
    slots.idle(stranger);
    ClientSlots.Slot mine = admit(slots, "10.0.0.1", "mine-1").slot();
    admit(slots, "10.0.0.1", "mine-2");
    slots.idle(mine);

    ClientSlots.Admission third = admit(slots, "10.0.0.1", "mine-3");
    third.closeShed();

    assertThat(third.slot()).isNotNull();
    assertThat(closed).containsExactly("mine-1");
  }

  @Test
  void aShedConnectionClosingLaterDoesNotFreeASecondSlot() {
    ClientSlots slots = new ClientSlots(1, 10);
    ClientSlots.Slot old = admit(slots, "10.0.0.1", "old").slot();
    slots.idle(old);
    admit(slots, "10.0.0.2", "new");

    slots.release(old);
    slots.idle(old);

    assertThat(slots.held()).isEqualTo(1);
    assertThat(slots.idle()).isZero();
    assertThat(admit(slots, "10.0.0.3", "third").slot()).isNull();
  }

  @Test
  void countsStayExactUnderConcurrentConnectsAndCloses() throws Exception {
    ClientSlots slots = new ClientSlots(1000, 1000);
    int threads = 4;
    int rounds = 5000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      String client = "10.0.0." + t;
      pool.execute(
          () -> {
            for (int i = 0; i < rounds; i++) {
              ClientSlots.Slot slot = slots.admit(client, () -> {}).slot();
              slots.idle(slot);
              slots.busy(slot);
              slots.release(slot);
            }
            done.countDown();
          });
    }
    assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
    pool.shutdown();

    assertThat(slots.held()).isZero();
    assertThat(slots.idle()).isZero();
  }
}
