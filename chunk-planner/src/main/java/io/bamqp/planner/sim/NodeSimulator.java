package io.bamqp.planner.sim;

import io.bamqp.planner.SlotAllocator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives one {@link SlotAllocator} per home against modelled lines, as a fluid model in steps of
 * {@link #STEP_NANOS}: what a node-wide schedule costs when many downloads share a home's line and
 * its neighbors' job slots. Each download's own split over its sources is the {@link
 * io.bamqp.planner.ChunkPlanner planner}'s work, measured by {@link Simulator}; here each source
 * simply moves its share.
 *
 * <p>In each step: downloads that are due start; each helper splits its slots max-min between the
 * homes that have work for it (the helper side's fairness) and tells each home its share; each
 * home's allocator hears every download's progress and decides, and its grants start moving bytes
 * {@link NodeScenario#switchNanos()} later; then bytes move: a helper's line is split equally
 * between its active jobs, a home's line between its downloads, max-min against what their clients
 * can still take beyond their neighbors (a client-bound download's surplus is lost).
 *
 * <p>Efficiency compares the bytes moved with the capacity offered while any download ran: in each
 * step, the sum of every line, capped by what the running downloads' clients could read.
 * Deterministic.
 *
 * @see io.bamqp.planner.ChunkPlanner
 */
public final class NodeSimulator {

  /** Length of one simulated step: 10 ms. */
  public static final long STEP_NANOS = 10_000_000L;

  /** A run gives up after this much simulated time: 2 hours. */
  public static final long TIME_LIMIT_NANOS = 7_200_000_000_000L;

  /**
   * What a run cost.
   *
   * @param scenario its name
   * @param completed whether every download finished within the time limit
   * @param efficiency bytes moved over the capacity offered while any download ran
   * @param finishNanos how long each download took, in the scenario's order
   * @param bytesByHome bytes each home received
   * @param switches how many slots moved from one download to another
   */
  public record Report(
      String scenario,
      boolean completed,
      double efficiency,
      List<Long> finishNanos,
      List<Long> bytesByHome,
      long switches) {
    @Override
    public String toString() {
      return String.format(
          java.util.Locale.ROOT,
          "%s: efficiency %.3f, finish %s s, bytes by home %s, %d switches",
          scenario,
          efficiency,
          finishNanos.stream()
              .map(n -> String.format(java.util.Locale.ROOT, "%.1f", n / 1e9))
              .toList(),
          bytesByHome,
          switches);
    }
  }

  private static final class Live {
    final int index;
    final NodeScenario.Download plan;
    double received;
    long finished = -1;

    Live(int index, NodeScenario.Download plan) {
      this.index = index;
      this.plan = plan;
    }

    double remaining() {
      return plan.bytes() - received;
    }

    boolean running(long now) {
      return plan.startNanos() <= now && finished < 0;
    }
  }

  /** A job a home holds on a helper: which download, and from when its bytes flow. */
  private record Job(int home, int download, long flowsFrom) {}

  private final NodeScenario scenario;
  private final List<SlotAllocator> allocators = new ArrayList<>();
  private final List<Live> downloads = new ArrayList<>();
  private final Map<String, List<Job>> jobs = new HashMap<>();
  private final double[] byHome;
  private long switches;

  private NodeSimulator(NodeScenario scenario) {
    this.scenario = scenario;
    for (long line : scenario.homeLines()) {
      SlotAllocator allocator = new SlotAllocator();
      allocator.homeLine(line);
      allocators.add(allocator);
    }
    for (int i = 0; i < scenario.downloads().size(); i++) {
      downloads.add(new Live(i, scenario.downloads().get(i)));
    }
    scenario.helpers().forEach(h -> jobs.put(h.id(), new ArrayList<>()));
    byHome = new double[scenario.homeLines().size()];
  }

  /** Runs {@code scenario} until every download finished (or the time limit) and reports. */
  public static Report run(NodeScenario scenario) {
    return new NodeSimulator(scenario).run();
  }

  private Report run() {
    double moved = 0;
    double offered = 0;
    long now = 0;
    while (downloads.stream().anyMatch(d -> d.finished < 0) && now < TIME_LIMIT_NANOS) {
      for (Live d : downloads) {
        if (d.plan.startNanos() == now
            || (d.plan.startNanos() > now - STEP_NANOS && d.plan.startNanos() < now)) {
          allocators.get(d.plan.home()).downloadStarted(d.index, d.plan.bytes(), now);
        }
      }
      shareHelpers();
      for (int home = 0; home < allocators.size(); home++) {
        SlotAllocator allocator = allocators.get(home);
        for (Live d : downloads) {
          if (d.plan.home() == home && d.running(now)) {
            long client =
                d.plan.clientBytesPerSec() == Scenario.UNLIMITED ? 0 : d.plan.clientBytesPerSec();
            allocator.progressed(d.index, (long) d.received, (long) d.remaining(), client);
          }
        }
        carryOut(home, allocator.decide(now), now);
      }
      double capacity = capacity(now);
      Map<Integer, Double> rates = rates(now);
      double seconds = STEP_NANOS / 1e9;
      long next = now + STEP_NANOS;
      for (Live d : downloads) {
        Double rate = rates.get(d.index);
        if (rate == null || !d.running(now)) {
          continue;
        }
        double bytes = Math.min(d.remaining(), rate * seconds);
        d.received += bytes;
        moved += bytes;
        byHome[d.plan.home()] += bytes;
        if (d.remaining() < 0.5) {
          d.finished = next;
          SlotAllocator allocator = allocators.get(d.plan.home());
          List<String> held = allocator.linesOf(d.index);
          allocator.downloadEnded(d.index, next);
          held.forEach(allocator::returned);
          jobs.values().forEach(list -> list.removeIf(j -> j.download() == d.index));
        }
      }
      offered += capacity * seconds;
      now = next;
    }
    boolean completed = downloads.stream().allMatch(d -> d.finished >= 0);
    List<Long> finish = new ArrayList<>();
    for (Live d : downloads) {
      finish.add(d.finished < 0 ? -1 : d.finished - d.plan.startNanos());
    }
    List<Long> homes = new ArrayList<>();
    for (double b : byHome) {
      homes.add((long) b);
    }
    return new Report(
        scenario.name(), completed, offered == 0 ? 0 : moved / offered, finish, homes, switches);
  }

  /** Each helper's slots, max-min between the homes with a download running. */
  private void shareHelpers() {
    for (NodeScenario.Helper helper : scenario.helpers()) {
      List<Integer> wanting = new ArrayList<>();
      for (int home = 0; home < allocators.size(); home++) {
        if (allocators.get(home).downloads() > 0) {
          wanting.add(home);
        }
      }
      for (int home = 0; home < allocators.size(); home++) {
        int share = 0;
        int at = wanting.indexOf(home);
        if (at >= 0) {
          share = helper.slots() / wanting.size() + (at < helper.slots() % wanting.size() ? 1 : 0);
        }
        allocators.get(home).line(helper.id(), share, helper.bytesPerSec());
      }
    }
  }

  private void carryOut(int home, List<SlotAllocator.Decision> decisions, long now) {
    for (SlotAllocator.Decision decision : decisions) {
      List<Job> held = jobs.get(decision.line());
      int download = (int) decision.download();
      if (decision instanceof SlotAllocator.Grant) {
        held.add(new Job(home, download, now + scenario.switchNanos()));
      } else {
        switches++;
        held.removeIf(j -> j.home() == home && j.download() == download);
        allocators.get(home).returned(decision.line());
      }
    }
  }

  /** Every line's rate, capped by what the running downloads' clients can read. */
  private double capacity(long now) {
    double lines = 0;
    double clients = 0;
    boolean[] homeBusy = new boolean[allocators.size()];
    for (Live d : downloads) {
      if (d.running(now)) {
        homeBusy[d.plan.home()] = true;
        clients +=
            d.plan.clientBytesPerSec() == Scenario.UNLIMITED
                ? Double.MAX_VALUE / 4
                : d.plan.clientBytesPerSec();
      }
    }
    boolean any = false;
    for (int home = 0; home < homeBusy.length; home++) {
      if (homeBusy[home]) {
        lines += scenario.homeLines().get(home);
        any = true;
      }
    }
    if (!any) {
      return 0;
    }
    for (NodeScenario.Helper helper : scenario.helpers()) {
      lines += helper.bytesPerSec();
    }
    return Math.min(lines, clients);
  }

  /** Each running download's rate in this step. */
  private Map<Integer, Double> rates(long now) {
    Map<Integer, Double> neighbor = new HashMap<>();
    for (NodeScenario.Helper helper : scenario.helpers()) {
      List<Job> flowing = jobs.get(helper.id()).stream().filter(j -> j.flowsFrom() <= now).toList();
      for (Job job : flowing) {
        neighbor.merge(job.download(), (double) helper.bytesPerSec() / flowing.size(), Double::sum);
      }
    }
    Map<Integer, Double> rates = new HashMap<>();
    for (int home = 0; home < allocators.size(); home++) {
      List<Live> mine = new ArrayList<>();
      for (Live d : downloads) {
        if (d.plan.home() == home && d.running(now)) {
          mine.add(d);
        }
      }
      Map<Integer, Double> headroom = new HashMap<>();
      for (Live d : mine) {
        double fromNeighbors = neighbor.getOrDefault(d.index, 0.0);
        double cap =
            d.plan.clientBytesPerSec() == Scenario.UNLIMITED
                ? Double.MAX_VALUE
                : d.plan.clientBytesPerSec();
        rates.put(d.index, Math.min(cap, fromNeighbors));
        headroom.put(d.index, Math.max(0, cap - fromNeighbors));
      }
      waterFill(scenario.homeLines().get(home), mine, headroom, rates);
    }
    return rates;
  }

  /** Splits {@code line} max-min between {@code downloads}, none above its headroom. */
  private static void waterFill(
      double line, List<Live> downloads, Map<Integer, Double> headroom, Map<Integer, Double> out) {
    List<Live> open = new ArrayList<>(downloads);
    double left = line;
    while (!open.isEmpty() && left > 1e-9) {
      double each = left / open.size();
      List<Live> full = new ArrayList<>();
      for (Live d : open) {
        if (headroom.get(d.index) <= each) {
          full.add(d);
        }
      }
      if (full.isEmpty()) {
        for (Live d : open) {
          out.merge(d.index, each, Double::sum);
        }
        return;
      }
      for (Live d : full) {
        double take = headroom.get(d.index);
        out.merge(d.index, take, Double::sum);
        left -= take;
        open.remove(d);
      }
    }
  }
}
