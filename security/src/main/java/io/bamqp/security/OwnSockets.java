package io.bamqp.security;

import java.net.InetAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * This node's own addresses and listening ports, so that nothing a client or a neighbor asks for is
 * ever sent back into the node itself: a request to its proxy port would loop, to its peer port
 * would let a client speak the peer protocol with the node's authority, to its statistics port
 * would let a neighbor read or drive the owner's page. One instance per node, shared by every part
 * that fetches on someone's behalf (the forward proxy, the helper's {@link DestinationPolicy}).
 *
 * <p><b>Ports.</b> Every listening socket of the node is registered as it binds ({@link
 * #listening}): the proxy and the helper register their own, the node the others (statistics page,
 * anything added later). A port counts on every address of the node whatever address it was bound
 * to: a wildcard bind answers on all of them, and counting a specific bind everywhere is only
 * stricter.
 *
 * <p><b>Addresses.</b> An address is the node's when it is loopback, the wildcard, or bound to one
 * of the machine's interfaces ({@link InterfaceAddresses#all()}). Interfaces change (DHCP, PPPoE
 * reconnects), so the list is read again: by the node every {@link #REREAD_INTERVAL} ({@link
 * #reread}), and on demand when a destination is not in the list and the last read is older than
 * {@link #MIN_REREAD_GAP} ({@link #recheck}), so a new address is known before it is reached.
 *
 * <p>Thread-safe: the addresses and ports are an immutable snapshot swapped atomically; reads never
 * block, {@link #reread} and {@link #recheck} do (call them off the event loop).
 */
public final class OwnSockets {
  /** How often the node reads its interfaces' addresses again: 30 s. */
  public static final Duration REREAD_INTERVAL = Duration.ofSeconds(30);

  /** The least time between two reads asked for by {@link #recheck}: 1 s. */
  public static final Duration MIN_REREAD_GAP = Duration.ofSeconds(1);

  /** Where the addresses come from: the interfaces, unless a test gives another source. */
  @FunctionalInterface
  public interface AddressSource {
    Collection<InetAddress> read() throws SocketException;
  }

  private record Snapshot(Set<Integer> ports, Set<InetAddress> addresses, long readAtNanos) {}

  private final AddressSource source;
  private final LongSupplier nanoClock;
  private final AtomicReference<Snapshot> snapshot;

  private OwnSockets(AddressSource source, LongSupplier nanoClock) {
    this.source = Objects.requireNonNull(source, "source");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.snapshot = new AtomicReference<>(new Snapshot(Set.of(), readAddresses(), now()));
  }

  /** Reads this machine's addresses now (blocking); no port is registered yet. */
  public static OwnSockets read() {
    return new OwnSockets(InterfaceAddresses::all, System::nanoTime);
  }

  /** As {@link #read()}, from {@code source}, timing re-reads with {@code nanoClock}. */
  public static OwnSockets read(AddressSource source, LongSupplier nanoClock) {
    return new OwnSockets(source, nanoClock);
  }

  /** Registers {@code port} as one this node listens on (from now on); 0 and less are ignored. */
  public OwnSockets listening(int port) {
    if (port > 0) {
      snapshot.updateAndGet(
          s -> {
            Set<Integer> ports = new HashSet<>(s.ports());
            ports.add(port);
            return new Snapshot(Set.copyOf(ports), s.addresses(), s.readAtNanos());
          });
    }
    return this;
  }

  /** Whether {@code port} is one this node listens on (on some address). */
  public boolean isOwnPort(int port) {
    return snapshot.get().ports().contains(port);
  }

  /** Whether {@code address} is one of this machine's (on any port). */
  public boolean isOwnAddress(InetAddress address) {
    if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
      return true;
    }
    Set<InetAddress> addresses = snapshot.get().addresses();
    return addresses.contains(address) || addresses.contains(unmapped(address));
  }

  /** Whether a connection to {@code address:port} would reach this node. */
  public boolean isOwn(InetAddress address, int port) {
    return isOwnPort(port) && isOwnAddress(address);
  }

  /** The machine's addresses as last read (loopback and the wildcard count besides). */
  public Set<InetAddress> addresses() {
    return snapshot.get().addresses();
  }

  /** The ports registered so far. */
  public Set<Integer> ports() {
    return snapshot.get().ports();
  }

  /**
   * Reads the machine's addresses again (blocking); the ports stay.
   *
   * @return whether the addresses changed
   */
  public boolean reread() {
    Set<InetAddress> read = readAddresses();
    long at = now();
    Snapshot before =
        snapshot.getAndUpdate(s -> new Snapshot(s.ports(), read, Math.max(s.readAtNanos(), at)));
    return !before.addresses().equals(read);
  }

  /**
   * Before {@code destinations} are judged: if one of them is not known as this node's and the
   * addresses were last read more than {@link #MIN_REREAD_GAP} ago, reads them again (blocking), so
   * an address the machine just got (a new DHCP lease, a PPPoE reconnect) counts as its own at once
   * rather than at the next periodic read.
   */
  public void recheck(InetAddress... destinations) {
    long sinceRead = now() - snapshot.get().readAtNanos();
    if (sinceRead < MIN_REREAD_GAP.toNanos()) {
      return;
    }
    for (InetAddress destination : destinations) {
      if (!isOwnAddress(destination)) {
        reread();
        return;
      }
    }
  }

  private Set<InetAddress> readAddresses() {
    try {
      return Set.copyOf(new HashSet<>(source.read()));
    } catch (SocketException e) {
      // No interface list: keep what was known; loopback and the wildcard are recognised anyway.
      Snapshot known = snapshot == null ? null : snapshot.get();
      return known == null ? Set.of() : known.addresses();
    }
  }

  private long now() {
    return nanoClock.getAsLong();
  }

  private static InetAddress unmapped(InetAddress address) {
    byte[] bytes = Cidr.unmapIpv4(address.getAddress());
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return address;
    }
  }

  @Override
  public String toString() {
    Snapshot s = snapshot.get();
    return "OwnSockets" + List.of(s.ports(), s.addresses());
  }
}
