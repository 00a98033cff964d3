package io.bamqp.proxy.aggregation;

import java.util.Map;

/**
 * The node-wide picture of its neighbors' lines, for the statistics page: the aggregated downloads
 * running, the neighbors' job slots they hold and the slots the neighbors serve this home, how many
 * downloads wait for a line (work to give, no slot), and the slots held per neighbor ({@code
 * peer:ID}).
 */
public record SlotsInUse(
    int downloads, int slotsHeld, int slotsServed, int waiting, Map<String, Integer> heldByLine) {
  public SlotsInUse {
    heldByLine = Map.copyOf(heldByLine);
  }
}
