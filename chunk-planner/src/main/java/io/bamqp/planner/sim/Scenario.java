package io.bamqp.planner.sim;

import io.bamqp.planner.PlannerConfig;
import java.util.List;

/**
 * One download to simulate: the file, the reorder window, the client and the sources. Source 0, if
 * present and listed first, is the home line whose response is already flowing.
 *
 * @param name how reports name it
 * @param fileBytes the file's length
 * @param bufferBytes the reorder window given to the planner and the size of the modelled buffer
 * @param clientBytesPerSec how fast the client reads at most; {@link #UNLIMITED} for a fast client
 * @param sources the sources, joining at time 0 in this order
 */
public record Scenario(
    String name,
    long fileBytes,
    long bufferBytes,
    long clientBytesPerSec,
    List<SourceModel> sources) {

  /** A client that reads whatever is in order as soon as it arrives. */
  public static final long UNLIMITED = Long.MAX_VALUE;

  public Scenario {
    sources = List.copyOf(sources);
    if (sources.isEmpty() || fileBytes < 1 || bufferBytes < 1 || clientBytesPerSec < 1) {
      throw new IllegalArgumentException("a scenario needs a file, a window, a client and sources");
    }
  }

  /** A fast client and the default 32 MiB window. */
  public static Scenario of(String name, long fileBytes, List<SourceModel> sources) {
    return new Scenario(name, fileBytes, PlannerConfig.DEFAULT_BUFFER_BYTES, UNLIMITED, sources);
  }

  public Scenario withBufferBytes(long bytes) {
    return new Scenario(name, fileBytes, bytes, clientBytesPerSec, sources);
  }

  public Scenario withClientRate(long bytesPerSec) {
    return new Scenario(name, fileBytes, bufferBytes, bytesPerSec, sources);
  }
}
