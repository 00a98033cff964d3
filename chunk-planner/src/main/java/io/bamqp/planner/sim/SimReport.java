package io.bamqp.planner.sim;

import java.util.Locale;
import java.util.Map;

/**
 * What a simulated download cost.
 *
 * <p>{@code idealNanos} is the time a perfect planner would need: the instant at which the capacity
 * actually available, integrated from time 0, reaches the file's size, where the capacity at each
 * moment is the sum of the live sources' true rates, capped by the client's rate. With constant
 * rates and a fast client that is {@code fileBytes / sumOfRates}; a rate change or a death changes
 * it the way it changes what any planner could do.
 *
 * @param scenario the scenario's name
 * @param completed whether the client received the whole file before the time limit
 * @param simulatedNanos when the client was written the last byte
 * @param idealNanos the time a perfect planner would need
 * @param hedgedBytes bytes the planner assigned twice as hedges
 * @param replannedBytes bytes taken back from dead, stalled or short assignments
 * @param duplicateBytes bytes that arrived when the buffer already held or had written them
 * @param maxBufferBytes the most bytes the reorder buffer ever held
 * @param backPressurePauses how often a source had to pause because the buffer was full
 * @param assignments how many ranges the planner issued
 * @param deliveredBySource bytes each source delivered, by id
 * @param repairNanos T-repair: from the first death until the bytes written to the client since
 *     then are back at {@link Simulator#REPAIR_SHARE} of what the survivors' sum carries (see
 *     {@code Simulator}); -1 when no source died
 */
public record SimReport(
    String scenario,
    boolean completed,
    long simulatedNanos,
    long idealNanos,
    long hedgedBytes,
    long replannedBytes,
    long duplicateBytes,
    long maxBufferBytes,
    long backPressurePauses,
    int assignments,
    Map<Integer, Long> deliveredBySource,
    long repairNanos) {

  public SimReport {
    deliveredBySource = Map.copyOf(deliveredBySource);
  }

  /** {@code idealNanos / simulatedNanos}: 1.0 is perfect; 0 if the download did not complete. */
  public double efficiency() {
    return completed ? (double) idealNanos / simulatedNanos : 0;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%-46s eff %.3f  time %7.2f s (ideal %7.2f s)  hedged %6d KiB  replanned %6d KiB"
            + "  max buffer %5.1f MiB  ranges %d%s",
        scenario,
        efficiency(),
        simulatedNanos / 1e9,
        idealNanos / 1e9,
        hedgedBytes >> 10,
        replannedBytes >> 10,
        maxBufferBytes / (double) (1 << 20),
        assignments,
        repairNanos < 0 ? "" : String.format(Locale.ROOT, "  T-repair %.2f s", repairNanos / 1e9));
  }
}
