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
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
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
      boolean bodyless =
          request.startsWith("HEAD ") || head.matches("(?s)HTTP/1\\.\\d (1\\d\\d|204|304).*");
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
