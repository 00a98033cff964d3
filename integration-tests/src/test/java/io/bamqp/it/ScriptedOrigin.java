package io.bamqp.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An origin that misbehaves on purpose: it reads one request head, writes a fixed byte script and
 * then either holds the connection open or closes it. It reports when the proxy closes its side,
 * which is how tests see that a broken upstream connection is not reused.
 */
final class ScriptedOrigin implements AutoCloseable {
  private final ServerSocket server;
  private final String script;
  private final boolean closeAfterScript;
  private final LinkedBlockingQueue<String> requests = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> proxyClosed = new CompletableFuture<>();

  private ScriptedOrigin(String script, boolean closeAfterScript) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.script = script;
    this.closeAfterScript = closeAfterScript;
    Thread acceptor = new Thread(this::serve, "scripted-origin");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Answers every request with {@code script}, then waits for the proxy to close. */
  static ScriptedOrigin answering(String script) throws IOException {
    return new ScriptedOrigin(script, false);
  }

  /** Answers with {@code script} and closes the connection itself. */
  static ScriptedOrigin answeringThenClosing(String script) throws IOException {
    return new ScriptedOrigin(script, true);
  }

  /** Accepts and reads, but never answers. */
  static ScriptedOrigin silent() throws IOException {
    return new ScriptedOrigin("", false);
  }

  /** A loopback port nothing listens on (bound, then released): connecting to it is refused. */
  static int closedPort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  int port() {
    return server.getLocalPort();
  }

  /** The next request head the origin received, waiting up to a deadline. */
  String nextRequest() throws InterruptedException {
    String request = requests.poll(10, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("the origin received no request");
    }
    return request;
  }

  /** Completes when the proxy closes (or resets) a connection it opened to this origin. */
  CompletableFuture<Void> proxyClosed() {
    return proxyClosed;
  }

  private void serve() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread connection = new Thread(() -> converse(socket), "scripted-origin-connection");
        connection.setDaemon(true);
        connection.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void converse(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      while (head.indexOf("\r\n\r\n") < 0) {
        int b = in.read();
        if (b < 0) {
          proxyClosed.complete(null);
          return;
        }
        head.append((char) b);
      }
      requests.add(head.toString());
      socket.getOutputStream().write(script.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      if (closeAfterScript) {
        return;
      }
      while (in.read() >= 0) {
        // drain until the proxy closes its side
      }
      proxyClosed.complete(null);
    } catch (IOException reset) {
      proxyClosed.complete(null);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
