package io.bamqp.it.bench;

import io.bamqp.testbed.Content;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** Prints every run's figures, then one Markdown row per scenario with the medians. */
final class BenchReport {
  private static final String NONE = "—";

  private final Map<Scenario, List<Measurement>> byScenario = new LinkedHashMap<>();
  private final Map<Scenario, double[]> linesMbps = new LinkedHashMap<>();

  void add(Measurement measurement, double[] lines) {
    byScenario.computeIfAbsent(measurement.scenario(), s -> new ArrayList<>()).add(measurement);
    linesMbps.putIfAbsent(measurement.scenario(), lines);
  }

  static String raw(Measurement m) {
    String lines =
        Arrays.stream(m.lineGoodputs())
            .mapToObj(g -> format("%.1f", Measurement.mbps(g)))
            .collect(Collectors.joining(" + "));
    return format(
        "raw | %s | run %d | %.1f MiB in %.2f s = %.1f Mbit/s | single lines %s = %.1f Mbit/s"
            + " | efficiency %.3f | of capacity left %s | speed-up %.2f | home CPU %s"
            + " | MiB by line %s | %s",
        m.scenario().name(),
        m.run(),
        (double) m.download().bytes() / Content.MIB,
        m.download().seconds(),
        m.goodputMbps(),
        lines,
        m.linesSumMbps(),
        m.efficiency(),
        Double.isNaN(m.idealSeconds()) ? NONE : format("%.3f", m.efficiencyOfCapacityLeft()),
        m.speedUp(),
        Double.isNaN(m.cpuSeconds())
            ? NONE
            : format("%.2f s = %.2f s/GiB", m.cpuSeconds(), m.cpuSecondsPerGib()),
        mibByLine(Arrays.stream(m.bytesByLine()).asDoubleStream().toArray()),
        m.download().intact() ? "intact" : "NOT INTACT");
  }

  void print(PrintStream out, int runs) {
    out.println();
    out.println(
        "| scenario | lines, Mbit/s | file | time | goodput | lines' sum (measured) | efficiency"
            + " | of capacity left | speed-up vs direct on router 1's line | home CPU s/GiB"
            + " | MiB on lines 1/2/3/4 | intact | goal |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    byScenario.forEach((scenario, all) -> out.println(row(scenario, all, runs)));
  }

  private String row(Scenario scenario, List<Measurement> all, int runs) {
    List<Measurement> ok = all.stream().filter(m -> m.download().intact()).toList();
    String lines =
        Arrays.stream(linesMbps.get(scenario))
            .mapToObj(r -> format("%.0f", r))
            .collect(Collectors.joining(":"));
    String file = format("%.0f MiB", (double) scenario.fileBytes() / Content.MIB);
    if (ok.isEmpty()) {
      return format(
          "| %s | %s | %s | failed in every run | | | | | | | | 0/%d | |",
          scenario.name(), lines, file, runs);
    }
    double efficiency = median(ok, Measurement::efficiency);
    double[] bytesByLine = new double[BenchRig.ROUTERS];
    for (int i = 0; i < bytesByLine.length; i++) {
      int line = i;
      bytesByLine[i] = median(ok, m -> m.bytesByLine()[line]);
    }
    return format(
        "| %s | %s | %s | %.2f s | %.1f Mbit/s | %.1f Mbit/s | **%.3f** | %s | %.2f× | %s | %s"
            + " | %d/%d | %s |",
        scenario.name(),
        scenario.direct() ? lines.split(":")[0] + " (router 1's line)" : lines,
        file,
        median(ok, m -> m.download().seconds()),
        median(ok, Measurement::goodputMbps),
        median(ok, Measurement::linesSumMbps),
        efficiency,
        scenario.event() == Scenario.Event.NONE
            ? NONE
            : format("%.3f", median(ok, Measurement::efficiencyOfCapacityLeft)),
        median(ok, Measurement::speedUp),
        scenario.direct() ? NONE : format("%.2f", median(ok, Measurement::cpuSecondsPerGib)),
        scenario.direct() ? NONE : mibByLine(bytesByLine),
        ok.size(),
        all.size(),
        Double.isNaN(scenario.goal())
            ? NONE
            : format("≥ %.2f %s", scenario.goal(), efficiency >= scenario.goal() ? "✔" : "✘"));
  }

  private static String mibByLine(double[] bytes) {
    return Arrays.stream(bytes)
        .mapToObj(b -> format("%.1f", b / Content.MIB))
        .collect(Collectors.joining(" / "));
  }

  static double median(List<Measurement> measurements, ToDoubleFunction<Measurement> figure) {
    double[] sorted = measurements.stream().mapToDouble(figure).sorted().toArray();
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
