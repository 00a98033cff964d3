package io.bamqp.it.bench;

import io.bamqp.testbed.Content;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * One HTTP/1.1 client of the home's proxy on a plain socket, so that the soak controls exactly how
 * it reads: as fast as it can, slowly (a small receive buffer and a paced read loop, so the node
 * feels the back-pressure), or hanging up part-way. Every byte is compared with the origin's {@link
 * Content} as it arrives, so nothing is stored and any wrong byte is caught at its offset.
 */
final class SoakClient {
  /** Longest silence of the proxy inside a response before the client gives up. */
  static final int READ_TIMEOUT_MILLIS = 30_000;

  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
  private static final int BUFFER = 64 * 1024;
  private static final int SLOW_RECEIVE_BUFFER = 64 * 1024;
  private static final int SLOW_READ = 16 * 1024;
  private static final int MAX_HEAD = 16 * 1024;

  /** How a client reads: {@code bytesPerSecond} 0 for unpaced, {@code hangUpAt} -1 for never. */
  record Behaviour(long bytesPerSecond, long hangUpAt) {
    static final Behaviour FAST = new Behaviour(0, -1);

    boolean slow() {
      return bytesPerSecond > 0;
    }

    String describe() {
      String pace =
          slow() ? String.format(Locale.ROOT, "slow %.1f MB/s", bytesPerSecond / 1e6) : "fast";
      return hangUpAt >= 0 ? pace + ", hangs up at " + hangUpAt : pace;
    }
  }

  /** What became of one request. */
  enum Verdict {
    /** Every byte arrived and matched. */
    COMPLETE,
    /** We hung up as planned; every byte up to then matched. */
    HUNG_UP,
    /** The run ended while it was in flight; every byte up to then matched. */
    CUT_BY_END,
    /** A byte differed from the origin's, or the length was wrong. */
    CORRUPT,
    /** The node answered with an error status, closed early or went silent. */
    FAILED
  }

  record Outcome(Verdict verdict, long bytes, double seconds, String detail) {}

  private final int proxyPort;
  private final String origin;
  private final LongAdder delivered;

  /**
   * @param origin the origin's {@code http://host:port} prefix
   * @param delivered counts every body byte any client receives (the soak's throughput series)
   */
  SoakClient(int proxyPort, String origin, LongAdder delivered) {
    this.proxyPort = proxyPort;
    this.origin = origin;
    this.delivered = delivered;
  }

  /** GETs {@code /files/SIZE} through the proxy; {@code over} ends it early (the run's end). */
  Outcome get(long size, String tag, Behaviour behaviour, BooleanSupplier over) {
    long started = System.nanoTime();
    long received = 0;
    try (Socket socket = new Socket()) {
      if (behaviour.slow()) {
        socket.setReceiveBufferSize(SLOW_RECEIVE_BUFFER);
      }
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      socket.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), proxyPort),
          CONNECT_TIMEOUT_MILLIS);
      String target = origin + "/files/" + size + "?soak=" + tag;
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + target
                  + " HTTP/1.1\r\nHost: "
                  + origin.substring("http://".length())
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream(), BUFFER);
      Head head = Head.read(in);
      if (head.status != 200) {
        return outcome(Verdict.FAILED, 0, started, "HTTP " + head.status);
      }
      if (head.chunked || head.length != size) {
        return outcome(Verdict.CORRUPT, 0, started, "framing " + head);
      }
      Content content = Content.ofSize(size);
      byte[] buffer = new byte[behaviour.slow() ? SLOW_READ : BUFFER];
      byte[] expected = new byte[buffer.length];
      while (received < size) {
        if (over.getAsBoolean()) {
          return outcome(Verdict.CUT_BY_END, received, started, "");
        }
        if (behaviour.hangUpAt() >= 0 && received >= behaviour.hangUpAt()) {
          socket.setSoLinger((size & 1) == 1, 0); // half of the hang-ups reset, half close
          return outcome(Verdict.HUNG_UP, received, started, "");
        }
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - received));
        if (n < 0) {
          return outcome(Verdict.FAILED, received, started, "closed at " + received);
        }
        content.fill(received, expected, 0, n);
        int wrong = Arrays.mismatch(buffer, 0, n, expected, 0, n);
        if (wrong >= 0) {
          return outcome(Verdict.CORRUPT, received, started, "byte " + (received + wrong));
        }
        received += n;
        delivered.add(n);
        if (behaviour.slow()) {
          pace(started, received, behaviour.bytesPerSecond());
        }
      }
      return outcome(Verdict.COMPLETE, received, started, "");
    } catch (SocketTimeoutException e) {
      return outcome(Verdict.FAILED, received, started, "silent 30 s at " + received);
    } catch (IOException e) {
      return outcome(Verdict.FAILED, received, started, e + " at " + received);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return outcome(Verdict.CUT_BY_END, received, started, "interrupted");
    }
  }

  /** A slow reader: sleeping is its behaviour, not a wait for an event. */
  private static void pace(long started, long received, long bytesPerSecond)
      throws InterruptedException {
    long due = started + received * 1_000_000_000L / bytesPerSecond;
    long ahead = due - System.nanoTime();
    if (ahead > 0) {
      Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
    }
  }

  private static Outcome outcome(Verdict verdict, long bytes, long started, String detail) {
    return new Outcome(verdict, bytes, (System.nanoTime() - started) / 1e9, detail);
  }

  /** The status line and the framing headers of a response. */
  private record Head(int status, long length, boolean chunked) {
    static Head read(InputStream in) throws IOException {
      StringBuilder text = new StringBuilder();
      while (!text.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0 || text.length() > MAX_HEAD) {
          throw new IOException("no complete response head: " + text);
        }
        text.append((char) b);
      }
      String[] lines = text.toString().split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      long length = -1;
      boolean chunked = false;
      for (String line : lines) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(lower.substring("content-length:".length()).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        }
      }
      return new Head(status, length, chunked);
    }
  }
}
