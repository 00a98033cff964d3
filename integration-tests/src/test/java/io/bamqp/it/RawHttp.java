package io.bamqp.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A deliberately dumb HTTP/1 client on a plain socket, for the inputs a real client would never
 * send (smuggling shapes, oversized heads) and to see exactly what the proxy writes back.
 */
final class RawHttp {
  private static final int READ_TIMEOUT_MILLIS = 10_000;

  private RawHttp() {}

  /** What came back, and whether the proxy closed the connection afterwards. */
  record Reply(String text, boolean closedByPeer) {
    int status() {
      if (!text.startsWith("HTTP/1.")) {
        throw new AssertionError("no HTTP response: '" + text + "'");
      }
      return Integer.parseInt(text.substring(9, 12));
    }

    String body() {
      int end = text.indexOf("\r\n\r\n");
      return end < 0 ? "" : text.substring(end + 4);
    }
  }

  /** Sends {@code request} verbatim and reads the first response (head and sized body). */
  static Reply exchange(int port, String request) throws IOException {
    return exchange(port, request, false);
  }

  /**
   * Sends {@code request} verbatim and reads the first response: its head and, if it has a {@code
   * Content-Length}, that many body bytes; with {@code awaitClose}, then waits (up to the read
   * timeout) for the peer to close the connection.
   */
  static Reply exchange(int port, String request, boolean awaitClose) throws IOException {
    try (Connection connection = Connection.open(port, "127.0.0.1")) {
      connection.send(request);
      return connection.reply(request.startsWith("HEAD "), awaitClose);
    }
  }

  /**
   * One client connection kept open across requests, from a chosen loopback source address (any of
   * 127.0.0.0/8 works on Linux), for tests about connections rather than single exchanges.
   */
  static final class Connection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    private Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
    }

    /** Connects to the proxy on 127.0.0.1:{@code port} from {@code source}. */
    static Connection open(int port, String source) throws IOException {
      Socket socket = new Socket();
      socket.bind(new java.net.InetSocketAddress(source, 0));
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      return new Connection(socket);
    }

    /** Writes {@code text} verbatim. */
    void send(String text) throws IOException {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
    }

    /** Reads one response to a GET: head and sized or chunked body; the connection stays open. */
    Reply reply() throws IOException {
      return reply(false, false);
    }

    /**
     * Reads everything until the proxy closes the connection (up to the read timeout, which fails
     * the test): what it wrote before closing.
     */
    String untilClosed() throws IOException {
      return readToEnd(in);
    }

    private Reply reply(boolean headRequest, boolean awaitClose) throws IOException {
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      int headEnd = -1;
      while (headEnd < 0) {
        int b = in.read();
        if (b < 0) {
          return new Reply(received.toString(StandardCharsets.ISO_8859_1), true);
        }
        received.write(b);
        headEnd = received.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
      }
      String head = received.toString(StandardCharsets.ISO_8859_1);
      boolean bodyless = headRequest || head.matches("(?s)HTTP/1\\.\\d (1\\d\\d|204|304).*");
      String length = header(head, "content-length");
      if (bodyless) {
        // nothing follows the head
      } else if (length != null) {
        copy(in, received, Long.parseLong(length));
      } else if ("chunked".equalsIgnoreCase(header(head, "transfer-encoding"))) {
        readChunks(in, received);
      } else {
        // No length: the body runs until the connection closes.
        return new Reply(received.toString(StandardCharsets.ISO_8859_1) + readToEnd(in), true);
      }
      return new Reply(
          received.toString(StandardCharsets.ISO_8859_1), awaitClose && peerCloses(in, received));
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** Decodes a chunked body into plain bytes appended to {@code out} (the reply shows the data). */
  private static void readChunks(InputStream in, ByteArrayOutputStream out) throws IOException {
    while (true) {
      String sizeLine = readLine(in);
      int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
      if (size == 0) {
        while (!readLine(in).isEmpty()) {
          // trailers
        }
        return;
      }
      copy(in, out, size);
      readLine(in);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  private static void copy(InputStream in, ByteArrayOutputStream out, long count)
      throws IOException {
    for (long i = 0; i < count; i++) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after " + i + " of " + count + " body bytes");
      }
      out.write(b);
    }
  }

  private static String readToEnd(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  private static boolean peerCloses(InputStream in, ByteArrayOutputStream received)
      throws IOException {
    try {
      int b = in.read();
      while (b >= 0) {
        received.write(b);
        b = in.read();
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    }
  }

  private static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }
}
