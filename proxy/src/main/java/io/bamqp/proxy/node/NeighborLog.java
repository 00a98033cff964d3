package io.bamqp.proxy.node;

import io.bamqp.discovery.PeerEntry;
import io.bamqp.discovery.PeerEvent;
import io.bamqp.discovery.PeerState;
import io.bamqp.peer.EventThrottle;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Tells the journal when a trusted neighbor comes online or goes offline: one INFO line per change,
 * at most {@value #LINES_PER_WINDOW} per neighbor in {@link #WINDOW} so a flapping link cannot fill
 * the log. A quarantine is logged where it is decided (a WARN, once per neighbor). Untrusted peers
 * that announce themselves over mDNS are strangers: DEBUG only.
 */
final class NeighborLog implements Consumer<PeerEvent> {
  static final int LINES_PER_WINDOW = 6;
  static final Duration WINDOW = Duration.ofMinutes(10);

  private static final Logger LOG = System.getLogger("io.bamqp.neighbors");

  private final EventThrottle limit =
      new EventThrottle(LINES_PER_WINDOW, WINDOW, System::currentTimeMillis);

  @Override
  public void accept(PeerEvent event) {
    if (!event.stateChanged()) {
      return;
    }
    String line = line(event);
    if (line == null) {
      return;
    }
    if (!event.peer().trusted()) {
      LOG.log(Level.DEBUG, line);
      return;
    }
    long leftOut = limit.admit(event.peer().id().toString());
    if (leftOut >= 0) {
      LOG.log(Level.INFO, line + EventThrottle.heldBackNote(leftOut));
    }
  }

  /** {@code ": reason"} without the state the reason may repeat; empty for no reason. */
  private static String because(String reason, String state) {
    String why = reason.startsWith(state) ? reason.substring(state.length()) : reason;
    return why.isBlank() ? "" : ": " + why;
  }

  /** The line for a change of state worth telling; null for the others. */
  static String line(PeerEvent event) {
    PeerEntry peer = event.peer();
    String who = "neighbor " + peer.id();
    String where = peer.address().getHostString() + ":" + peer.address().getPort();
    if (event.kind() == PeerEvent.Kind.REMOVED) {
      boolean wasOnline = event.previous().map(p -> p.state() == PeerState.ONLINE).orElse(false);
      return wasOnline ? who + " removed (no longer trusted or configured)" : null;
    }
    return switch (peer.state()) {
      case ONLINE ->
          who
              + " online at "
              + where
              + (peer.sharing()
                  ? String.format(
                      Locale.ROOT, ", sharing up to %.1f Mbit/s", peer.offeredRateMbps())
                  : ", not sharing")
              + peer.rtt().map(rtt -> ", round trip " + rtt.toMillis() + " ms").orElse("");
      case OFFLINE -> who + " offline (" + where + ")" + because(peer.reason(), "offline: ");
      case DISCOVERED ->
          "peer " + peer.id() + " announced at " + where + "; not in peer.trusted, so never used";
      default -> null;
    };
  }
}
