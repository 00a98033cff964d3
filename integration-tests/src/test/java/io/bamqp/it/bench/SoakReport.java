package io.bamqp.it.bench;

import io.bamqp.it.bench.SoakBench.Fault;
import io.bamqp.it.bench.SoakBench.Result;
import io.bamqp.it.bench.SoakClient.Verdict;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak's verdict from what it recorded. Definitions, printed with the figures:
 *
 * <ul>
 *   <li><b>Growth</b>: the home's open descriptors, threads and resident memory, median of the
 *       samples (every 2 s) in the first and in the last window after the warm-up; each window is
 *       10 minutes, or a third of the time after the warm-up when that is shorter.
 *   <li><b>T-repair</b>: after a fault at {@code t0}, the bytes all clients received are counted in
 *       250 ms windows from {@code t0}. The target is 90% of the lesser of what the surviving lines
 *       can carry (their nominal rates) and what clients received in the 5 s before {@code t0}.
 *       T-repair is the end of the last window below target within 8 s of {@code t0} (0 if none):
 *       from then on, throughput held.
 * </ul>
 */
final class SoakReport {
  static final double FD_GROWTH = 32;
  static final double THREAD_GROWTH = 8;
  static final double RSS_GROWTH = 0.10;
  static final double WINDOW_MAX_SECONDS = 600;
  static final double REPAIR_WINDOW = 0.25;
  static final double REPAIR_HORIZON = 8;
  static final double REPAIR_SHARE = 0.9;
  static final double BEFORE_SECONDS = 5;
  static final double T_REPAIR_GOAL = 1.0;

  /**
   * Below this share of the surviving lines' rate before a fault, there is no throughput to lose.
   */
  static final double IDLE_SHARE = 0.25;

  private final double duration;
  private final List<Result> results;
  private final List<ProcSample> samples;
  private final long[][] throughput;
  private final List<Fault> faults;
  private final List<Path> logs;
  private final List<double[]> heapAfterGc;
  private List<String> homeLog;
  private final List<String> failures = new ArrayList<>();

  /** The end of the home's INFO line for a finished aggregated download. */
  private static final Pattern SUMMARY = Pattern.compile("hedged (\\d+) B, re-fetched (\\d+) B");

  SoakReport(
      double duration,
      List<Result> results,
      List<ProcSample> samples,
      long[][] throughput,
      List<Fault> faults,
      List<Path> logs,
      List<double[]> heapAfterGc) {
    this.duration = duration;
    this.results = results;
    this.samples = samples;
    this.throughput = throughput;
    this.faults = faults;
    this.logs = logs;
    this.heapAfterGc = heapAfterGc;
  }

  /** Prints the report; true if every invariant held. */
  boolean print(
      PrintStream out, long seed, String loadBefore, String loadAfter, int restartFailures)
      throws IOException {
    out.printf(
        Locale.ROOT,
        "soak: %.1f min, seed %d; 3 nodes, lines %d × %.0f Mbit/s (%d ms); home JVM %s, helpers %s;"
            + " %d download workers + 1 small-request worker%n",
        duration / 60,
        seed,
        SoakBench.ADDRESSES.length,
        SoakBench.LINE_MBPS,
        SoakBench.LATENCY.toMillis(),
        SoakBench.HOME_JVM,
        SoakBench.HELPER_JVM,
        SoakBench.WORKERS);
    out.printf("load average (1/5/15 min) before: %s; after: %s%n", loadBefore, loadAfter);
    out.printf("helper restarts that did not listen within 120 s: %d%n%n", restartFailures);
    downloads(out);
    small(out);
    logs(out);
    growth(out);
    repairs(out);
    out.println();
    if (failures.isEmpty()) {
      out.println("INVARIANTS HELD");
    } else {
      out.println("INVARIANTS FAILED:");
      failures.forEach(f -> out.println("  - " + f));
    }
    return failures.isEmpty();
  }

  private void downloads(PrintStream out) {
    List<Result> downloads = results.stream().filter(r -> !r.small()).toList();
    long complete = count(downloads, Verdict.COMPLETE);
    long hungUp = count(downloads, Verdict.HUNG_UP);
    long cut = count(downloads, Verdict.CUT_BY_END);
    long corrupt = count(downloads, Verdict.CORRUPT);
    List<Result> failures =
        downloads.stream().filter(r -> r.outcome().verdict() == Verdict.FAILED).toList();
    List<Result> passedOn = failures.stream().filter(this::originResetPassedOn).toList();
    long failed = failures.size() - passedOn.size();
    long bytes = downloads.stream().mapToLong(r -> r.outcome().bytes()).sum();
    long slow = downloads.stream().filter(r -> r.behaviour().slow()).count();
    out.printf(
        Locale.ROOT,
        "downloads: %d (%d read slowly); completed byte-exact %d; hung up by us %d; cut by the"
            + " run's end %d; streamed through and cut by an origin reset on the home line %d;"
            + " failed unexpectedly %d; wrong bytes or length %d; %.2f GB received, every byte"
            + " compared%n",
        downloads.size(),
        slow,
        complete,
        hungUp,
        cut,
        passedOn.size(),
        failed,
        corrupt,
        bytes / 1e9);
    Map<String, Integer> streamed = new TreeMap<>();
    for (Result r : downloads) {
      String reason = streamedThrough(r.size());
      if (reason != null) {
        streamed.merge(reason, 1, Integer::sum);
      }
    }
    out.printf(
        "  large downloads the home streamed through unaggregated, by reason: %s%n", streamed);
    for (Result r : downloads) {
      if (r.outcome().verdict() == Verdict.FAILED || r.outcome().verdict() == Verdict.CORRUPT) {
        String reason = streamedThrough(r.size());
        out.printf(
            Locale.ROOT,
            "  %s: %d B (%s, %s) from t=%.1f s to t=%.1f s: %s; faults then: %s%n",
            r.outcome().verdict(),
            r.size(),
            r.behaviour().describe(),
            reason == null ? "aggregated" : "streamed through: " + reason,
            r.startSeconds(),
            r.startSeconds() + r.outcome().seconds(),
            r.outcome().detail(),
            faultsDuring(r));
      }
    }
    check(corrupt == 0, corrupt + " downloads with wrong bytes or length");
    check(failed == 0, failed + " downloads failed unexpectedly");
    check(complete > 0, "no download completed");
  }

  private void small(PrintStream out) {
    List<Result> small = results.stream().filter(Result::small).toList();
    double[] latency =
        small.stream()
            .filter(r -> r.outcome().verdict() == Verdict.COMPLETE)
            .mapToDouble(r -> r.outcome().seconds())
            .sorted()
            .toArray();
    long corrupt = count(small, Verdict.CORRUPT);
    List<Result> failed =
        small.stream().filter(r -> r.outcome().verdict() == Verdict.FAILED).toList();
    long duringReset = failed.stream().filter(r -> !faultsDuring(r).isEmpty()).count();
    out.printf(
        Locale.ROOT,
        "small requests (1 KiB-2 MiB, streamed through): %d; byte-exact %d; failed %d (%d of them"
            + " while a fault was on); wrong bytes %d; latency median %.0f ms, p99 %.0f ms%n",
        small.size(),
        latency.length,
        failed.size(),
        duringReset,
        corrupt,
        quantile(latency, 0.5) * 1e3,
        quantile(latency, 0.99) * 1e3);
    for (Result r : failed) {
      out.printf(
          Locale.ROOT,
          "  failed: %d B at t=%.1f s: %s; faults then: %s%n",
          r.size(),
          r.startSeconds(),
          r.outcome().detail(),
          faultsDuring(r));
    }
    check(corrupt == 0, corrupt + " small requests with wrong bytes");
  }

  private void logs(PrintStream out) throws IOException {
    long oom = 0;
    StringBuilder perLog = new StringBuilder();
    for (Path log : logs) {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      long n = lines.stream().filter(l -> l.contains("OutOfMemoryError")).count();
      oom += n;
      perLog.append(String.format(Locale.ROOT, " %s %d", log.getFileName(), n));
    }
    List<String> home = homeLog();
    long streamed = home.stream().filter(l -> l.contains("streamed through")).count();
    long exceptions = home.stream().filter(l -> l.contains("Exception")).count();
    long warnings =
        home.stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).count();
    long finished = 0;
    long hedged = 0;
    long refetched = 0;
    Map<String, Integer> abandoned = new TreeMap<>();
    for (String line : home) {
      Matcher m = SUMMARY.matcher(line);
      if (m.find()) {
        finished++;
        hedged += Long.parseLong(m.group(1));
        refetched += Long.parseLong(m.group(2));
      }
      int at = line.indexOf(" abandoned: ");
      if (at >= 0) {
        abandoned.merge(line.substring(at + " abandoned: ".length()), 1, Integer::sum);
      }
    }
    out.printf(
        Locale.ROOT,
        "OutOfMemoryError lines in the logs:%s; home log: %d lines, %d WARN/ERROR, %d mention an"
            + " exception, %d say \"streamed through\"%n",
        perLog,
        home.size(),
        warnings,
        exceptions,
        streamed);
    out.printf(
        Locale.ROOT,
        "home's download summaries: %d finished, hedged %.1f MB, re-fetched %.1f MB in all;"
            + " abandoned %s%n",
        finished,
        hedged / 1e6,
        refetched / 1e6,
        abandoned);
    check(oom == 0, oom + " OutOfMemoryError lines in the nodes' logs");
  }

  private void growth(PrintStream out) {
    double measured = duration - SoakBench.WARMUP_SECONDS;
    double window = Math.min(WINDOW_MAX_SECONDS, measured / 3);
    double firstFrom = SoakBench.WARMUP_SECONDS;
    double lastFrom = duration - window;
    List<ProcSample> home = samples.stream().filter(s -> s.node().equals("home")).toList();
    List<ProcSample> first = within(home, firstFrom, firstFrom + window);
    List<ProcSample> last = within(home, lastFrom, duration);
    out.printf(
        Locale.ROOT,
        "home process, first window t=%.0f-%.0f s (%d samples) vs last t=%.0f-%.0f s (%d samples),"
            + " median (max):%n",
        firstFrom,
        firstFrom + window,
        first.size(),
        lastFrom,
        duration,
        last.size());
    compare(out, "open fds", first, last, ProcSample::fds, "+" + (int) FD_GROWTH, FD_GROWTH, 0);
    compare(
        out,
        "threads",
        first,
        last,
        ProcSample::threads,
        "+" + (int) THREAD_GROWTH,
        THREAD_GROWTH,
        0);
    compare(
        out,
        "RSS MiB",
        first,
        last,
        s -> s.rssKib() / 1024.0,
        "+" + Math.round(RSS_GROWTH * 100) + "%",
        0,
        RSS_GROWTH);
    out.printf("  threads by name whose most in a window changed: %s%n", threadNames(first, last));
    double[] heapFirst = heapBetween(firstFrom, firstFrom + window);
    double[] heapLast = heapBetween(lastFrom, duration);
    out.printf(
        Locale.ROOT,
        "  heap after GC MiB %.0f (max %.0f, %d GCs) -> %.0f (max %.0f, %d GCs)   (not bounded:"
            + " it follows the downloads' buffers)%n",
        quantile(heapFirst, 0.5),
        quantile(heapFirst, 1),
        heapFirst.length,
        quantile(heapLast, 0.5),
        quantile(heapLast, 1),
        heapLast.length);
    for (int i = 1; i < SoakBench.NAMES.length; i++) {
      String name = SoakBench.NAMES[i];
      List<ProcSample> helper = samples.stream().filter(s -> s.node().equals(name)).toList();
      out.printf(
          Locale.ROOT,
          "  %s (restarted after each kill, so not compared): max fds %.0f, threads %.0f,"
              + " RSS %.0f MiB%n",
          name,
          max(helper, ProcSample::fds),
          max(helper, ProcSample::threads),
          max(helper, s -> s.rssKib() / 1024.0));
    }
  }

  private void compare(
      PrintStream out,
      String what,
      List<ProcSample> first,
      List<ProcSample> last,
      ToDoubleFunction<ProcSample> figure,
      String bound,
      double plus,
      double ratio) {
    double a = median(first, figure);
    double b = median(last, figure);
    double allowed = a * (1 + ratio) + plus;
    boolean held = b <= allowed;
    out.printf(
        Locale.ROOT,
        "  %-9s %8.1f (%.1f) -> %8.1f (%.1f)   bound %s: %s%n",
        what,
        a,
        max(first, figure),
        b,
        max(last, figure),
        bound,
        held ? "✔" : "✘");
    check(
        held && first.size() > 0 && last.size() > 0,
        String.format(Locale.ROOT, "home %s grew from %.1f to %.1f (bound %s)", what, a, b, bound));
  }

  private void repairs(PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%nfaults (T-repair: end of the last 250 ms window within %.0f s below %.0f%% of"
            + " min(surviving lines' nominal rate, rate in the %.0f s before)):%n",
        REPAIR_HORIZON,
        REPAIR_SHARE * 100,
        BEFORE_SECONDS);
    List<Double> kills = new ArrayList<>();
    List<Double> cuts = new ArrayList<>();
    for (Fault f : faults) {
      if (f.kind().equals("reset")) {
        out.printf(
            Locale.ROOT,
            "  t=%5.1f s origin resets on %s's line for %.1f s%n",
            f.at(),
            SoakBench.NAMES[f.node()],
            f.restored() - f.at());
        continue;
      }
      double capacity = (SoakBench.ADDRESSES.length - 1) * SoakBench.LINE_MBPS * 1e6 / 8; // bytes/s
      double before = (bytesAt(f.at()) - bytesAt(f.at() - BEFORE_SECONDS)) / BEFORE_SECONDS;
      double target = REPAIR_SHARE * Math.min(capacity, before);
      int windows = (int) Math.round(REPAIR_HORIZON / REPAIR_WINDOW);
      double[] rates = new double[windows];
      int lastBelow = -1;
      for (int i = 0; i < windows; i++) {
        double from = f.at() + i * REPAIR_WINDOW;
        rates[i] = (bytesAt(from + REPAIR_WINDOW) - bytesAt(from)) / REPAIR_WINDOW;
        if (rates[i] < target) {
          lastBelow = i;
        }
      }
      double repair = (lastBelow + 1) * REPAIR_WINDOW;
      String verdict;
      if (before < IDLE_SHARE * capacity) {
        verdict = "n/a (too little traffic before)";
      } else {
        (f.kind().equals("kill") ? kills : cuts).add(repair);
        verdict =
            lastBelow == windows - 1
                ? String.format(Locale.ROOT, "> %.0f s (never held)", REPAIR_HORIZON)
                : String.format(Locale.ROOT, "%.2f s", repair);
      }
      StringBuilder series = new StringBuilder();
      for (int i = 0; i < windows && i < 16; i++) {
        series.append(String.format(Locale.ROOT, " %.0f", rates[i] * 8 / 1e6));
      }
      out.printf(
          Locale.ROOT,
          "  t=%5.1f s %-4s %s for %.1f s: before %.1f Mbit/s, target %.1f Mbit/s, T-repair %s;"
              + " Mbit/s per 250 ms:%s%n",
          f.at(),
          f.kind(),
          SoakBench.NAMES[f.node()],
          f.restored() - f.at(),
          before * 8 / 1e6,
          target * 8 / 1e6,
          verdict,
          series);
    }
    out.printf(
        Locale.ROOT,
        "T-repair after a helper's death (%d kills with traffic; 8 = not within 8 s): median %.2f s,"
            + " max %.2f s (goal <= %.0f s: %s)%n",
        kills.size(),
        median(kills),
        max(kills),
        T_REPAIR_GOAL,
        kills.isEmpty() ? "not measured" : max(kills) <= T_REPAIR_GOAL ? "met" : "not met");
    out.printf(
        Locale.ROOT,
        "T-repair after a LAN link cut (%d cuts with traffic): median %.2f s, max %.2f s%n",
        cuts.size(),
        median(cuts),
        max(cuts));
  }

  /** For each thread name whose largest count differs between the windows: "name a -> b". */
  private static String threadNames(List<ProcSample> first, List<ProcSample> last) {
    Map<String, Integer> a = mostByName(first);
    Map<String, Integer> b = mostByName(last);
    TreeMap<String, String> changed = new TreeMap<>();
    java.util.Set<String> names = new java.util.TreeSet<>(a.keySet());
    names.addAll(b.keySet());
    for (String name : names) {
      int before = a.getOrDefault(name, 0);
      int after = b.getOrDefault(name, 0);
      if (before != after) {
        changed.put(name, before + " -> " + after);
      }
    }
    return changed.toString();
  }

  private static Map<String, Integer> mostByName(List<ProcSample> samples) {
    Map<String, Integer> most = new TreeMap<>();
    samples.forEach(s -> s.names().forEach((name, n) -> most.merge(name, n, Math::max)));
    return most;
  }

  private double[] heapBetween(double from, double to) {
    return heapAfterGc.stream()
        .filter(p -> p[0] >= from && p[0] <= to)
        .mapToDouble(p -> p[1])
        .sorted()
        .toArray();
  }

  /** Bytes all clients had received {@code seconds} after the start, interpolated. */
  private double bytesAt(double seconds) {
    long nanos = Math.round(seconds * 1e9);
    int lo = 0;
    int hi = throughput.length - 1;
    if (hi < 0 || nanos <= throughput[0][0]) {
      return hi < 0 ? 0 : throughput[0][1];
    }
    if (nanos >= throughput[hi][0]) {
      return throughput[hi][1];
    }
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (throughput[mid][0] <= nanos) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double share = (double) (nanos - throughput[lo][0]) / (throughput[hi][0] - throughput[lo][0]);
    return throughput[lo][1] + share * (throughput[hi][1] - throughput[lo][1]);
  }

  /**
   * A download the home did not aggregate has no second source to repair it: an origin reset on the
   * home line reaches the client, as through any proxy. That is by design, not a failure of the
   * soak.
   */
  private boolean originResetPassedOn(Result r) {
    if (streamedThrough(r.size()) == null) {
      return false;
    }
    double to = r.startSeconds() + r.outcome().seconds();
    return faults.stream()
        .anyMatch(
            f ->
                f.kind().equals("reset")
                    && f.node() == 0
                    && f.at() <= to
                    && f.restored() >= r.startSeconds());
  }

  /** Why the home streamed {@code /files/SIZE} through (its DEBUG line), or null if it did not. */
  private String streamedThrough(long size) {
    String path = "/files/" + size + "?";
    String marker = " streams through: ";
    for (String line : homeLog()) {
      int at = line.indexOf(marker);
      if (at >= 0 && line.contains(path)) {
        return line.substring(at + marker.length());
      }
    }
    return null;
  }

  private List<String> homeLog() {
    if (homeLog == null) {
      try {
        homeLog = Files.exists(logs.get(0)) ? Files.readAllLines(logs.get(0)) : List.of();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return homeLog;
  }

  /** The faults that overlapped a request, e.g. "kill helper1 @30.0". */
  private String faultsDuring(Result r) {
    double from = r.startSeconds();
    double to = from + r.outcome().seconds();
    StringBuilder during = new StringBuilder();
    for (Fault f : faults) {
      if (f.at() <= to && f.restored() >= from) {
        during.append(
            String.format(
                Locale.ROOT,
                "%s%s %s @%.1f",
                during.isEmpty() ? "" : ", ",
                f.kind(),
                SoakBench.NAMES[f.node()],
                f.at()));
      }
    }
    return during.toString();
  }

  private void check(boolean held, String failure) {
    if (!held) {
      failures.add(failure);
    }
  }

  private static long count(List<Result> results, Verdict verdict) {
    return results.stream().filter(r -> r.outcome().verdict() == verdict).count();
  }

  private static List<ProcSample> within(List<ProcSample> samples, double from, double to) {
    return samples.stream().filter(s -> s.seconds() >= from && s.seconds() <= to).toList();
  }

  private static double median(List<ProcSample> samples, ToDoubleFunction<ProcSample> figure) {
    return quantile(samples.stream().mapToDouble(figure).sorted().toArray(), 0.5);
  }

  private static double max(List<ProcSample> samples, ToDoubleFunction<ProcSample> figure) {
    return samples.stream().mapToDouble(figure).max().orElse(Double.NaN);
  }

  private static double median(List<Double> values) {
    return quantile(values.stream().mapToDouble(Double::doubleValue).sorted().toArray(), 0.5);
  }

  private static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  private static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }
}
