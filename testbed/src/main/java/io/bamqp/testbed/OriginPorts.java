package io.bamqp.testbed;

import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

/**
 * Ports for test origins (the test-bed origin, a TLS front before it): a free port below the
 * kernel's ephemeral range rather than an ephemeral one. The nodes of a test or the demo listen on
 * ephemeral ports of other loopback addresses, and a node counts its ports on every address as its
 * own (it refuses to fetch from them): an origin on an ephemeral port could, rarely, share a node's
 * port number, and that node would refuse every fetch from it. Below the range, no ephemeral bind
 * can take the origin's number.
 */
public final class OriginPorts {
  /** Where the kernel's ephemeral ports start when it does not say (Linux's default). */
  static final int EPHEMERAL_FIRST_DEFAULT = 32768;

  /** The lowest port tried below the ephemeral range. */
  static final int QUIET_FIRST = 20000;

  /** Random ports tried below the ephemeral range before falling back to an ephemeral one. */
  static final int QUIET_TRIES = 16;

  private OriginPorts() {}

  /**
   * Listens with {@code listenOn} (a fresh server for the port given) on a random port below the
   * ephemeral range, trying another while one is taken, and on an ephemeral port (0) at last.
   */
  public static <T> Future<T> listen(IntFunction<Future<T>> listenOn) {
    return listen(listenOn, QUIET_TRIES, ephemeralFirst());
  }

  private static <T> Future<T> listen(IntFunction<Future<T>> listenOn, int tries, int first) {
    if (tries == 0 || first <= QUIET_FIRST) {
      return listenOn.apply(0);
    }
    int candidate = ThreadLocalRandom.current().nextInt(QUIET_FIRST, first);
    return listenOn.apply(candidate).recover(taken -> listen(listenOn, tries - 1, first));
  }

  /** The first ephemeral port, from {@code /proc/sys/net/ipv4/ip_local_port_range}. */
  static int ephemeralFirst() {
    try {
      // One line, "first<TAB>last"; read by lines: procfs reports a size of 0, and a whole-file
      // read may stop short.
      String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0);
      return Integer.parseInt(range.trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException unreadable) {
      return EPHEMERAL_FIRST_DEFAULT;
    }
  }
}
