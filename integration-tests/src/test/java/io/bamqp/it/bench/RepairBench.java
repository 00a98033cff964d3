package io.bamqp.it.bench;

import io.bamqp.proxy.demo.LoopbackRouter;
import io.bamqp.proxy.node.Node;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.Line;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * T-repair (issue 14): the time from a helper's death to the download's delivered rate back at the
 * survivors' measured sum. One steady aggregated download on four shaped lines (20 Mbit/s each, 20
 * ms to the origin, in this JVM as in the demo); each helper's LAN link is a {@link LinkRelay}; 6 s
 * into the download one helper dies once, either <b>reset</b> (every connection of its link gets an
 * RST, new ones are refused, and its node is closed: a killed host) or <b>black hole</b> (its link
 * carries nothing more and closes nothing: a pulled cable or a frozen host).
 *
 * <p>The client's received bytes are counted in 10 ms bins. The survivors' measured sum is the
 * bytes the origin sent on the three surviving lines in the 4 s before the death, per second (their
 * lines are full then). <b>T-repair</b> is the time from the death until the bytes the client
 * received since the death are back at 90% of what that sum carries in the same time (the hole the
 * dead helper left is filled and the client has caught up): 0 if the client never fell behind, 8 if
 * not within 8 s. Not short windows: in-order delivery is bursty by nature (the client follows the
 * lowest range at one line's rate, then takes the ranges behind it at once), so a 250 ms window's
 * rate swings without any death, which made the soak's T-repair figure noise. The chunk-planner's
 * simulator reports the same figure ({@code SimReport.repairNanos}). Every download is checked
 * against the origin's SHA-256. Run by {@code bench/repair.sh}.
 *
 * <p>Arguments: {@code RUNS [MODE...]} with modes {@code reset} and {@code blackhole} (both by
 * default).
 */
public final class RepairBench {
  private static final double LINE_MBPS = 20;
  private static final int ROUTERS = 4;
  private static final int VICTIM = 1;
  private static final long FILE_BYTES = 160 * Content.MIB;
  private static final long DEATH_AT_NANOS = 6_000_000_000L;
  private static final long BIN_NANOS = 10_000_000L;
  private static final long BEFORE_NANOS = 4_000_000_000L;
  private static final long AFTER_NANOS = 8_000_000_000L;
  private static final double TARGET_SHARE = 0.9;

  /** Held strongly: JUL forgets the level of a collected logger. */
  private static final Logger QUIET = Logger.getLogger("io.bamqp");

  private final PrintStream out = System.out;

  private RepairBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: RepairBench RUNS [reset|blackhole ...]");
      System.exit(2);
    }
    QUIET.setLevel(Level.WARNING);
    int runs = Integer.parseInt(args[0]);
    List<String> modes = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
    if (modes.isEmpty()) {
      modes = List.of("reset", "blackhole");
    }
    new RepairBench().run(runs, modes);
    System.exit(0);
  }

  private void run(int runs, List<String> modes) throws Exception {
    out.printf(
        Locale.ROOT,
        "4 lines of %.0f Mbit/s (20 ms to the origin), %d MiB, router %d dies %.0f s in; target %.0f%%"
            + " of the survivors' measured sum%n",
        LINE_MBPS,
        FILE_BYTES / Content.MIB,
        VICTIM + 1,
        DEATH_AT_NANOS / 1e9,
        TARGET_SHARE * 100);
    for (String mode : modes) {
      if (!mode.equals("reset") && !mode.equals("blackhole")) {
        throw new IllegalArgumentException("mode must be reset or blackhole, not " + mode);
      }
      List<Double> repairs = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        double seconds = once(mode, run);
        repairs.add(seconds);
      }
      List<Double> sorted = new ArrayList<>(repairs);
      sorted.sort(null);
      out.printf(
          Locale.ROOT,
          "%s: T-repair per run %s; median %.2f s, max %.2f s%n",
          mode,
          repairs,
          sorted.get(sorted.size() / 2),
          sorted.get(sorted.size() - 1));
    }
  }

  private double once(String mode, int run) throws Exception {
    Vertx vertx = Vertx.vertx();
    List<Node> helpers = new ArrayList<>();
    List<LinkRelay> relays = new ArrayList<>();
    Node home = null;
    try {
      TestOrigin.Builder shaped = TestOrigin.builder();
      for (int i = 0; i < ROUTERS; i++) {
        shaped.line(address(i), Line.ofMbps(LINE_MBPS).withLatency(BenchRig.LATENCY));
      }
      TestOrigin origin = Await.result(shaped.build().start(vertx));
      LoopbackRouter homeRouter = LoopbackRouter.of(address(0), LINE_MBPS);
      Map<String, Integer> peers = new TreeMap<>();
      for (int i = 1; i < ROUTERS; i++) {
        LoopbackRouter router =
            LoopbackRouter.of(address(i), LINE_MBPS).toBuilder()
                .trusted(List.of(homeRouter.id()))
                .build();
        Node helper = Await.result(Node.start(vertx, router.config()));
        helpers.add(helper);
        LinkRelay relay = LinkRelay.to(helper.peerPort());
        relays.add(relay);
        peers.put(router.id().toString(), relay.port());
      }
      home = Await.result(Node.start(vertx, homeRouter.toBuilder().peers(peers).build().config()));
      BenchRig.awaitPeersOnline(home.statsPort(), ROUTERS - 1);

      String url = origin.url("/files/" + FILE_BYTES);
      Recording recording = new Recording();
      LinkRelay victim = relays.get(VICTIM - 1);
      Node victimNode = helpers.get(VICTIM - 1);
      int proxyPort = home.proxyPort();
      Thread client = new Thread(() -> recording.download(proxyPort, url), "client");
      client.start();
      long started = recording.awaitFirstByte();
      long deathAt = started + DEATH_AT_NANOS;
      long[] before = lineBytes(origin);
      long beforeAt = 0;
      while (System.nanoTime() < deathAt) {
        if (beforeAt == 0 && System.nanoTime() >= deathAt - BEFORE_NANOS) {
          before = lineBytes(origin);
          beforeAt = System.nanoTime();
        }
        Thread.sleep(1); // part of the measurement: the death lands within a millisecond
      }
      long[] atDeath = lineBytes(origin);
      long deathNanos = System.nanoTime();
      if (mode.equals("reset")) {
        victim.reset();
        helpers.remove(victimNode);
        victimNode.close(); // the host is gone: it fetches nothing more either
      } else {
        victim.cut();
      }
      client.join(120_000);
      if (client.isAlive() || recording.failure != null) {
        throw new IllegalStateException("the download did not complete: " + recording.failure);
      }
      boolean exact = recording.sha256.equals(Content.ofSize(FILE_BYTES).sha256Hex());
      double seconds = (deathNanos - beforeAt) / 1e9;
      double survivors = 0;
      for (int i = 0; i < ROUTERS; i++) {
        if (i != VICTIM) {
          survivors += (atDeath[i] - before[i]) / seconds;
        }
      }
      double perBin = survivors * TARGET_SHARE * BIN_NANOS / 1e9;
      int firstBin = (int) ((deathNanos - started) / BIN_NANOS);
      int lastBin = Math.min(recording.lastBin(), firstBin + (int) (AFTER_NANOS / BIN_NANOS));
      double repair = AFTER_NANOS / 1e9;
      boolean behind = false;
      long since = 0;
      StringBuilder series = new StringBuilder();
      for (int bin = firstBin; bin <= lastBin; bin++) {
        since += recording.bins.get(bin);
        boolean late = since < perBin * (bin - firstBin + 1);
        if ((bin - firstBin) % 10 == 9) {
          series.append(
              String.format(
                  Locale.ROOT, " %.1f", (perBin * (bin - firstBin + 1) - since) / Content.MIB));
        }
        if (behind && !late && repair == AFTER_NANOS / 1e9) {
          repair = (bin - firstBin + 1) * BIN_NANOS / 1e9;
        }
        behind |= late;
      }
      if (!behind) {
        repair = 0;
      }
      out.printf(
          Locale.ROOT,
          "%s run %d: T-repair %.2f s; survivors' sum %.1f Mbit/s (before: all four %.1f);"
              + " %s; MiB behind 90%% of it, every 100 ms from the death:%s%n",
          mode,
          run,
          repair,
          survivors * 8 / 1e6,
          (sum(atDeath) - sum(before)) / seconds * 8 / 1e6,
          exact ? "byte-exact" : "MISMATCH",
          series);
      if (!exact) {
        throw new IllegalStateException("the download was not byte-exact");
      }
      return repair;
    } finally {
      if (home != null) {
        Await.result(home.close());
      }
      for (LinkRelay relay : relays) {
        relay.close();
      }
      for (Node helper : helpers) {
        Await.result(helper.close());
      }
      Await.result(vertx.close());
    }
  }

  private static String address(int router) {
    return "127.0.0." + (11 + router);
  }

  private static long[] lineBytes(TestOrigin origin) {
    long[] bytes = new long[ROUTERS];
    for (int i = 0; i < ROUTERS; i++) {
      bytes[i] = origin.stats(address(i)).bytesSent();
    }
    return bytes;
  }

  private static long sum(long[] values) {
    long total = 0;
    for (long value : values) {
      total += value;
    }
    return total;
  }

  /** One client download through the home's proxy, counting bytes per 50 ms bin. */
  private static final class Recording {
    final AtomicLongArray bins = new AtomicLongArray(100_000);
    volatile long firstByteAt;
    volatile long endedAt;
    volatile String sha256 = "";
    volatile Exception failure;

    void download(int proxyPort, String url) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxyPort)) {
        OutputStream request = socket.getOutputStream();
        request.write(
            ("GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        request.flush();
        InputStream in = socket.getInputStream();
        skipHead(in);
        MessageDigest digest = Content.newSha256();
        byte[] buffer = new byte[64 * 1024];
        long body = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
          long now = System.nanoTime();
          if (firstByteAt == 0) {
            firstByteAt = now;
          }
          bins.addAndGet((int) ((now - firstByteAt) / BIN_NANOS), n);
          digest.update(buffer, 0, n);
          body += n;
        }
        endedAt = System.nanoTime();
        if (body != FILE_BYTES) {
          throw new IOException("got " + body + " of " + FILE_BYTES + " bytes");
        }
        sha256 = HexFormat.of().formatHex(digest.digest());
      } catch (Exception e) {
        failure = e;
        firstByteAt = firstByteAt == 0 ? -1 : firstByteAt;
      }
    }

    long awaitFirstByte() throws InterruptedException {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (firstByteAt == 0 && System.nanoTime() < deadline) {
        Thread.sleep(1); // part of the measurement: the clock starts at the first byte
      }
      if (firstByteAt <= 0) {
        throw new IllegalStateException("no first byte: " + failure);
      }
      return firstByteAt;
    }

    /** The bin of the download's last byte: windows past it are not part of the measurement. */
    int lastBin() {
      return (int) ((endedAt - firstByteAt) / BIN_NANOS);
    }

    private static void skipHead(InputStream in) throws IOException {
      int matched = 0;
      StringBuilder status = new StringBuilder();
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("the proxy closed before the response head ended");
        }
        if (status.length() < 12) {
          status.append((char) b);
        }
        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      if (!status.toString().startsWith("HTTP/1.1 200")) {
        throw new IOException("the proxy answered " + status);
      }
    }
  }
}
