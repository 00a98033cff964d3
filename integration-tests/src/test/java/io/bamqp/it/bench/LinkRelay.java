package io.bamqp.it.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The LAN link between home and one neighbor: a TCP relay on loopback in front of the neighbor's
 * peer port, which the soak can cut and restore. Cut, it behaves like a pulled cable rather than a
 * dead host: nothing is closed or reset, no byte passes in either direction, and new connections
 * are not accepted (the kernel's backlog completes a few handshakes that then carry nothing; later
 * ones time out). Restored, the connections that survived carry on, as TCP does after a short
 * outage.
 *
 * <p>Also {@link #reset()}: every connection gets an RST and new ones are refused, as from a killed
 * host. Used by the soak, {@code bench/repair.sh} and {@code HelperDeathIT}.
 *
 * <p>Blocking sockets, two pump threads per connection: the peer link carries a handful of
 * connections, and this keeps the relay simple enough to trust as a fixture.
 */
public final class LinkRelay implements AutoCloseable {
  private static final int BUFFER = 64 * 1024;
  private static final int BACKLOG = 8;

  private final ServerSocket server;
  private final int target;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private boolean cut;
  private volatile boolean refusing;
  private volatile boolean closed;

  private LinkRelay(int target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, BACKLOG, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "soak-relay-" + target);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A relay on a free loopback port to {@code 127.0.0.1:target}. */
  public static LinkRelay to(int target) throws IOException {
    return new LinkRelay(target);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Stops every byte and every new connection until {@link #restore()}. */
  public void cut() {
    synchronized (gate) {
      cut = true;
    }
  }

  /**
   * Resets every connection at once ({@code SO_LINGER 0}: an RST each way) and refuses new ones, as
   * a killed host's kernel does, until {@link #restore()}.
   */
  public void reset() {
    refusing = true;
    for (Socket socket : sockets) {
      try {
        socket.setSoLinger(true, 0);
      } catch (IOException alreadyClosed) {
        // closing below is what matters
      }
      closeQuietly(socket);
    }
  }

  public void restore() {
    synchronized (gate) {
      cut = false;
      refusing = false;
      gate.notifyAll();
    }
  }

  /** Blocks while the link is cut; false once the relay is closed. */
  private boolean awaitLink() {
    synchronized (gate) {
      while (cut && !closed) {
        try {
          gate.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return !closed;
  }

  private void accept() {
    while (!closed) {
      try {
        if (!awaitLink()) {
          return;
        }
        Socket near = server.accept();
        if (refusing) { // reset: a dead host's port answers with an RST
          near.setSoLinger(true, 0);
          near.close();
          continue;
        }
        if (!awaitLink()) { // accepted just as the link went down: it waits like the rest
          near.close();
          return;
        }
        Socket far = new Socket();
        try {
          far.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
        } catch (IOException neighborDown) { // killed: its port refuses, so the relay hangs up
          near.setSoLinger(true, 0);
          near.close();
          far.close();
          continue;
        }
        sockets.add(near);
        sockets.add(far);
        pump(near, far);
        pump(far, near);
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[BUFFER];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                while (awaitLink()) {
                  int n = in.read(buffer);
                  if (n < 0 || !awaitLink()) {
                    break;
                  }
                  out.write(buffer, 0, n);
                }
              } catch (IOException connectionOver) {
                // one side closed or reset: the other side learns it below
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "soak-relay-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private void closeQuietly(Socket socket) {
    sockets.remove(socket);
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing is best effort
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    restore();
    server.close();
    sockets.forEach(this::closeQuietly);
  }
}
