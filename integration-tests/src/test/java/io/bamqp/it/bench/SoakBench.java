package io.bamqp.it.bench;

import io.bamqp.it.bench.SoakClient.Behaviour;
import io.bamqp.it.bench.SoakClient.Outcome;
import io.bamqp.proxy.demo.LoopbackRouter;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.Line;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak (issue 14): three nodes on loopback for a bounded time under a mix of downloads and
 * faults, checking that every completed download is byte-exact, that no node runs out of memory,
 * that the home's descriptors, threads and resident memory do not grow, and how fast throughput
 * comes back when a helper dies (T-repair). Run by {@code bench/soak.sh}.
 *
 * <p>Home (127.0.0.11) and two helpers (.12, .13) each run as a JVM of their own ({@code bamqp.jar
 * run}); the test-bed origin gives each address a shaped line. The home reaches each helper through
 * a {@link LinkRelay}, its LAN link. Four download workers loop over files of 10-500 MB (log-
 * uniform), reading fast, slowly or hanging up part-way; one worker sends small requests. Every 40
 * s after a 30 s warm-up one fault starts, alternating: a helper is killed ({@code SIGKILL}) and
 * started again 12 s later, or the other helper's LAN link is cut for 12 s; 25 s into each cycle
 * the origin resets, for 2 s, every response on one random line after a random number of bytes.
 *
 * <p>Arguments: {@code MINUTES JAR WORK_DIR [SEED]}. Progress goes to stderr, the report to stdout;
 * exits 1 if an invariant failed.
 */
public final class SoakBench {
  static final String[] ADDRESSES = {"127.0.0.11", "127.0.0.12", "127.0.0.13"};
  static final String[] NAMES = {"home", "helper1", "helper2"};
  static final double LINE_MBPS = 40;
  static final Duration LATENCY = Duration.ofMillis(20);

  /**
   * The home's heap is committed and touched at start ({@code -Xms} = {@code -Xmx}, pre-touched),
   * so that its RSS moves only with native memory (direct buffers, threads, metaspace, code); the
   * heap is watched through its size after each collection instead. 512 MiB gives the default
   * buffer budget (a quarter) room for the four workers' 32 MiB windows.
   */
  static final List<String> HOME_JVM =
      List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC");

  static final List<String> HELPER_JVM = List.of("-Xmx128m", "-XX:+UseSerialGC");

  static final int WORKERS = 4;
  static final double FAST_SHARE = 0.6;
  static final double SLOW_SHARE = 0.2; // the rest hang up part-way
  static final long MIN_FILE = 10_000_000;
  static final long MAX_FILE = 500_000_000;
  static final long SLOW_MIN_RATE = 1_000_000;
  static final long SLOW_MAX_RATE = 4_000_000;

  /** A slow reader's file is at most what it reads in this long, so it finishes within a cycle. */
  static final long SLOW_MAX_SECONDS = 90;

  static final long SMALL_MIN = Content.KIB;
  static final long SMALL_MAX = 2 * Content.MIB;
  static final long SMALL_EVERY_MILLIS = 500;

  static final double WARMUP_SECONDS = 30;
  static final double EVENT_EVERY_SECONDS = 40;
  static final double OUTAGE_SECONDS = 12;
  static final double RESET_AT_SECONDS = 25;
  static final double RESET_FOR_SECONDS = 2;
  static final long RESET_MIN = 64 * Content.KIB;
  static final long RESET_MAX = 8 * Content.MIB;
  static final long THROUGHPUT_SAMPLE_MILLIS = 50;
  static final long PROC_SAMPLE_MILLIS = 2_000;
  private static final int HELPER_JOBS = 8;
  private static final String GC_LOG = "home-gc.log";

  /** A collection in the GC log: {@code [12.345s] GC(3) Pause Young (...) 140M->12M(494M) 5ms}. */
  private static final Pattern GC_LINE = Pattern.compile("^\\[([0-9.]+)s\\].*->(\\d+)M\\(");

  /** Held strongly: JUL forgets the level of a collected logger. */
  private static final Logger QUIET = Logger.getLogger("io.bamqp");

  /** One request and what became of it; {@code startSeconds} since the soak began. */
  record Result(
      boolean small, long size, Behaviour behaviour, Outcome outcome, double startSeconds) {}

  /**
   * A fault from {@code at} to {@code restored} (seconds since the start): {@code kill} or {@code
   * cut} of node {@code node} (a helper, 1 or 2), or the origin's {@code reset} of node's line.
   */
  record Fault(String kind, int node, double at, double restored) {}

  private final double minutes;
  private final Path jar;
  private final Path work;
  private final Random random;
  private final long seed;
  private final LongAdder delivered = new LongAdder();
  private final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<ProcSample> samples = new ConcurrentLinkedQueue<>();
  private final List<long[]> throughput = new ArrayList<>(); // {nanos since start, bytes}
  private final List<Fault> faults = new ArrayList<>();
  private final NodeProcess[] nodes = new NodeProcess[ADDRESSES.length];
  private final String[] yaml = new String[ADDRESSES.length];
  private final int[] peerPorts = new int[ADDRESSES.length];
  private final LinkRelay[] links = new LinkRelay[ADDRESSES.length];
  private volatile boolean over;
  private int proxyPort;
  private long homeLaunched;
  private int restartFailures;
  private long start;

  private SoakBench(double minutes, Path jar, Path work, long seed) {
    this.minutes = minutes;
    this.jar = jar;
    this.work = work;
    this.seed = seed;
    this.random = new Random(seed);
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3 || args.length > 4) {
      System.err.println("usage: SoakBench MINUTES JAR WORK_DIR [SEED]");
      System.exit(2);
    }
    QUIET.setLevel(Level.WARNING);
    Path work = Files.createDirectories(Path.of(args[2]));
    long seed = args.length == 4 ? Long.parseLong(args[3]) : System.nanoTime();
    boolean held = new SoakBench(Double.parseDouble(args[0]), Path.of(args[1]), work, seed).run();
    System.exit(held ? 0 : 1);
  }

  private boolean run() throws Exception {
    Vertx vertx = Vertx.vertx();
    TestOrigin origin = Await.result(TestOrigin.builder().build().start(vertx));
    String load = Files.readString(Path.of("/proc/loadavg")).trim();
    try {
      for (String address : ADDRESSES) {
        origin.setLine(address, Line.ofMbps(LINE_MBPS).withLatency(LATENCY));
      }
      int statsPort = startNodes();
      BenchRig.awaitPeersOnline(statsPort, ADDRESSES.length - 1);
      progress(
          "3 nodes up (home pid %d); soaking for %.1f min, seed %d", nodes[0].pid(), minutes, seed);
      soak(origin);
    } finally {
      over = true;
      for (NodeProcess node : nodes) {
        if (node != null) {
          node.close();
        }
      }
      for (LinkRelay link : links) {
        if (link != null) {
          link.close();
        }
      }
      Await.result(origin.close());
      Await.result(vertx.close());
    }
    String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
    SoakReport report =
        new SoakReport(
            minutes * 60,
            List.copyOf(results),
            List.copyOf(samples),
            throughputSeries(),
            List.copyOf(faults),
            logs(),
            heapAfterGc());
    return report.print(System.out, seed, load, loadAfter, restartFailures);
  }

  /** Starts the helpers behind their relays, then the home; returns the home's stats port. */
  private int startNodes() throws Exception {
    LoopbackRouter[] routers = new LoopbackRouter[ADDRESSES.length];
    for (int i = 0; i < ADDRESSES.length; i++) {
      routers[i] =
          LoopbackRouter.builder(ADDRESSES[i], LINE_MBPS)
              .stateDir(work.resolve("state-" + NAMES[i]))
              .build();
      peerPorts[i] = BenchRig.freePort();
    }
    Map<String, Integer> peers = new java.util.TreeMap<>();
    for (int i = 1; i < ADDRESSES.length; i++) {
      links[i] = LinkRelay.to(peerPorts[i]);
      peers.put(routers[i].id().toString(), links[i].port());
      yaml[i] =
          routers[i].toBuilder()
              .ports(0, peerPorts[i])
              .trusted(List.of(routers[0].id()))
              .maxJobs(HELPER_JOBS)
              .build()
              .yaml();
      startHelper(i);
    }
    int proxyPort = BenchRig.freePort();
    int statsPort = BenchRig.freePort();
    yaml[0] =
        routers[0].toBuilder()
            .ports(proxyPort, peerPorts[0])
            .peers(peers)
            .logLevel("debug") // the report reads why a large download streamed through
            .build()
            .yaml()
            .replace("listen: 127.0.0.1:0", "listen: 127.0.0.1:" + statsPort);
    List<String> jvm = new ArrayList<>(HOME_JVM);
    jvm.add("-Xlog:gc:file=" + work.resolve(GC_LOG) + ":uptime");
    homeLaunched = System.nanoTime();
    nodes[0] = NodeProcess.start(jar, work, NAMES[0], yaml[0], jvm, proxyPort);
    written(0);
    this.proxyPort = proxyPort;
    return statsPort;
  }

  private void startHelper(int i) throws Exception {
    nodes[i] = NodeProcess.start(jar, work, NAMES[i], yaml[i], HELPER_JVM, peerPorts[i]);
    written(i);
  }

  /** A helper that does not come back is reported and left down until its next turn. */
  private void restartHelper(int i) {
    try {
      startHelper(i);
    } catch (Exception e) {
      nodes[i] = null;
      restartFailures++;
      progress("%s did not come back: %s", NAMES[i], e.getMessage());
    }
  }

  /** The script's cleanup ends, by these files, any node the runner could not stop. */
  private void written(int i) throws java.io.IOException {
    Files.writeString(work.resolve(NAMES[i] + ".pid"), Long.toString(nodes[i].pid()));
  }

  private void soak(TestOrigin origin) throws Exception {
    start = System.nanoTime();
    String originUrl = "http://127.0.0.1:" + origin.port();
    SoakClient client = new SoakClient(proxyPort, originUrl, delivered);
    List<Thread> threads = new ArrayList<>();
    threads.add(daemon("soak-throughput", this::sampleThroughput));
    threads.add(daemon("soak-proc", this::sampleProcesses));
    for (int w = 0; w < WORKERS; w++) {
      long workerSeed = random.nextLong();
      int worker = w;
      threads.add(daemon("soak-worker-" + w, () -> downloads(client, worker, workerSeed)));
    }
    long smallSeed = random.nextLong();
    threads.add(daemon("soak-small", () -> smallRequests(client, smallSeed)));
    double end = minutes * 60;
    for (int k = 0; WARMUP_SECONDS + (k + 1) * EVENT_EVERY_SECONDS <= end; k++) {
      double at = WARMUP_SECONDS + k * EVENT_EVERY_SECONDS;
      boolean kill = k % 2 == 0;
      int helper = 1 + (k + k / 2) % 2;
      sleepUntil(at);
      double began = seconds();
      if (kill) {
        progress("t=%.0f s: kill -9 %s", began, NAMES[helper]);
        if (nodes[helper] != null) {
          nodes[helper].kill();
        }
      } else {
        progress("t=%.0f s: LAN link to %s cut", began, NAMES[helper]);
        links[helper].cut();
      }
      sleepUntil(at + OUTAGE_SECONDS);
      if (kill || nodes[helper] == null) {
        restartHelper(helper);
      } else {
        links[helper].restore();
      }
      double restored = seconds();
      progress("t=%.0f s: %s back", restored, NAMES[helper]);
      synchronized (faults) {
        faults.add(new Fault(kill ? "kill" : "cut", helper, began, restored));
      }
      sleepUntil(at + RESET_AT_SECONDS);
      int line = random.nextInt(ADDRESSES.length);
      long after = RESET_MIN + (long) (random.nextDouble() * (RESET_MAX - RESET_MIN));
      double resetAt = seconds();
      progress("t=%.0f s: origin resets responses on %s after %d B", resetAt, NAMES[line], after);
      origin.faults().onlyFor(ADDRESSES[line]).resetAfter(after);
      sleepUntil(at + RESET_AT_SECONDS + RESET_FOR_SECONDS);
      origin.faults().clear();
      synchronized (faults) {
        faults.add(new Fault("reset", line, resetAt, seconds()));
      }
    }
    sleepUntil(end);
    over = true;
    for (Thread thread : threads) {
      thread.join();
    }
  }

  private void downloads(SoakClient client, int worker, long workerSeed) {
    Random r = new Random(workerSeed);
    for (int n = 0; !over; n++) {
      long size = (long) (MIN_FILE * Math.pow((double) MAX_FILE / MIN_FILE, r.nextDouble()));
      double kind = r.nextDouble();
      Behaviour behaviour = Behaviour.FAST;
      if (kind >= FAST_SHARE && kind < FAST_SHARE + SLOW_SHARE) {
        long rate = SLOW_MIN_RATE + (long) (r.nextDouble() * (SLOW_MAX_RATE - SLOW_MIN_RATE));
        size = Math.max(MIN_FILE, Math.min(size, rate * SLOW_MAX_SECONDS));
        behaviour = new Behaviour(rate, -1);
      } else if (kind >= FAST_SHARE + SLOW_SHARE) {
        behaviour = new Behaviour(0, (long) (size * (0.05 + 0.85 * r.nextDouble())));
      }
      double began = seconds();
      Outcome outcome = client.get(size, "w" + worker + "-" + n, behaviour, () -> over);
      results.add(new Result(false, size, behaviour, outcome, began));
      progress(
          "t=%.0f s: worker %d, %d MB (%s): %s %d B in %.1f s %s",
          seconds(),
          worker,
          size / 1_000_000,
          behaviour.describe(),
          outcome.verdict(),
          outcome.bytes(),
          outcome.seconds(),
          outcome.detail());
    }
  }

  private void smallRequests(SoakClient client, long smallSeed) {
    Random r = new Random(smallSeed);
    for (int n = 0; !over; n++) {
      long size = SMALL_MIN + (long) (r.nextDouble() * (SMALL_MAX - SMALL_MIN));
      double began = seconds();
      Outcome outcome = client.get(size, "s" + n, Behaviour.FAST, () -> over);
      results.add(new Result(true, size, Behaviour.FAST, outcome, began));
      if (outcome.verdict() != SoakClient.Verdict.COMPLETE
          && outcome.verdict() != SoakClient.Verdict.CUT_BY_END) {
        progress(
            "t=%.0f s: small request of %d B: %s %s",
            began, size, outcome.verdict(), outcome.detail());
      }
      pause(SMALL_EVERY_MILLIS);
    }
  }

  private void sampleThroughput() {
    while (!over) {
      long[] point = {System.nanoTime() - start, delivered.sum()};
      synchronized (throughput) {
        throughput.add(point);
      }
      pause(THROUGHPUT_SAMPLE_MILLIS);
    }
  }

  private void sampleProcesses() {
    while (!over) {
      double now = seconds();
      for (int i = 0; i < nodes.length; i++) {
        NodeProcess node = nodes[i];
        ProcSample sample = node == null ? null : ProcSample.of(NAMES[i], now, node.pid());
        if (sample != null) {
          samples.add(sample);
        }
      }
      pause(PROC_SAMPLE_MILLIS);
    }
  }

  private long[][] throughputSeries() {
    synchronized (throughput) {
      return throughput.toArray(new long[0][]);
    }
  }

  /** {seconds since the start, MiB of heap left} after each of the home's collections. */
  private List<double[]> heapAfterGc() throws java.io.IOException {
    Path log = work.resolve(GC_LOG);
    List<double[]> points = new ArrayList<>();
    if (!Files.exists(log)) {
      return points;
    }
    double offset = (homeLaunched - start) / 1e9;
    for (String line : Files.readAllLines(log)) {
      Matcher m = GC_LINE.matcher(line);
      if (m.find()) {
        points.add(
            new double[] {Double.parseDouble(m.group(1)) + offset, Long.parseLong(m.group(2))});
      }
    }
    return points;
  }

  private List<Path> logs() {
    List<Path> logs = new ArrayList<>();
    for (String name : NAMES) {
      logs.add(work.resolve(name + ".log"));
    }
    return logs;
  }

  private double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  /** The soak's clock: its timeline is the experiment, so it sleeps to the next mark. */
  private void sleepUntil(double seconds) throws InterruptedException {
    long left = Math.round((seconds - seconds()) * 1000);
    if (left > 0) {
      Thread.sleep(left);
    }
  }

  /** A sampling period or a small client's pause: part of the workload, not a wait for an event. */
  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  static void progress(String pattern, Object... args) {
    System.err.printf(Locale.ROOT, "soak: " + pattern + "%n", args);
  }
}
