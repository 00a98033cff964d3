package io.bamqp.proxy.forward.internal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * The proxy's client connection slots: at most {@code maxTotal} connections served at once ({@code
 * proxy.maxClientConnections}), at most {@code maxPerClient} of them from one address ({@code
 * proxy.maxConnectionsPerClient}). When a limit is reached, the connection that has been idle the
 * longest (kept alive, no request in flight, no byte of the next one received) gives up its slot to
 * the new one: from the same address when that address is at its own limit, from anyone when the
 * proxy is full. Only when no connection is idle is the new one refused. A connection still sending
 * its request head is not idle; {@link ClientConnection}'s head deadline bounds how long it holds
 * its slot.
 *
 * <p>Thread-safe: connections may live on several event loops. One lock guards the counts and the
 * idle order, held for map and set updates only; closing a shed connection happens outside it.
 */
final class ClientSlots {
  /** One admitted connection's hold on a slot. */
  static final class Slot {
    private final String client;
    private final Runnable close;
    private boolean released; // guarded by the ClientSlots

    private Slot(String client, Runnable close) {
      this.client = client;
      this.close = close;
    }
  }

  /**
   * What became of a new connection: a slot, or the reason it is refused (answered 503 on its first
   * request); and the idle connection that gave up its slot for it, to be closed by the caller.
   */
  record Admission(Slot slot, String refusal, Slot shed) {
    /** Closes the connection that made room, if any. */
    void closeShed() {
      if (shed != null) {
        shed.close.run();
      }
    }
  }

  private final int maxTotal;
  private final int maxPerClient;
  private final Map<String, Integer> perClient = new HashMap<>();
  private final LinkedHashSet<Slot> idle = new LinkedHashSet<>(); // longest idle first
  private int held;

  ClientSlots(int maxTotal, int maxPerClient) {
    this.maxTotal = maxTotal;
    this.maxPerClient = maxPerClient;
  }

  /**
   * Gives a connection from {@code client} a slot, shedding the longest-idle connection if a limit
   * is reached; {@code close} closes this connection should it be shed in its turn.
   */
  synchronized Admission admit(String client, Runnable close) {
    Slot shed = null;
    if (perClient.getOrDefault(client, 0) >= maxPerClient) {
      shed = longestIdle(client);
      if (shed == null) {
        return new Admission(
            null,
            "too many connections from "
                + client
                + " (proxy.maxConnectionsPerClient: "
                + maxPerClient
                + ")",
            null);
      }
    } else if (held >= maxTotal) {
      shed = longestIdle(null);
      if (shed == null) {
        return new Admission(
            null,
            "too many client connections (proxy.maxClientConnections: " + maxTotal + ")",
            null);
      }
    }
    if (shed != null) {
      free(shed);
    }
    Slot slot = new Slot(client, close);
    held++;
    perClient.merge(client, 1, Integer::sum);
    return new Admission(slot, null, shed);
  }

  /** The connection has nothing in flight: it may be shed, the longest idle first. */
  synchronized void idle(Slot slot) {
    if (!slot.released) {
      idle.remove(slot);
      idle.add(slot);
    }
  }

  /** The connection is working on a request again. */
  synchronized void busy(Slot slot) {
    idle.remove(slot);
  }

  /** The connection closed; its slot is free (nothing happens if it was already shed). */
  synchronized void release(Slot slot) {
    if (!slot.released) {
      free(slot);
    }
  }

  /** Slots held now. */
  synchronized int held() {
    return held;
  }

  /** Connections idle now. */
  synchronized int idle() {
    return idle.size();
  }

  private Slot longestIdle(String client) {
    for (Iterator<Slot> it = idle.iterator(); it.hasNext(); ) {
      Slot candidate = it.next();
      if (client == null || candidate.client.equals(client)) {
        return candidate;
      }
    }
    return null;
  }

  private void free(Slot slot) {
    slot.released = true;
    idle.remove(slot);
    held--;
    perClient.computeIfPresent(slot.client, (client, count) -> count == 1 ? null : count - 1);
  }
}
