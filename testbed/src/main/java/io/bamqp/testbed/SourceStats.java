package io.bamqp.testbed;

/**
 * A snapshot of what the origin did for clients from one source address (one emulated line).
 * Counters only grow, except {@code openConnections}.
 *
 * @param address the clients' source address, e.g. {@code "127.0.0.11"}
 * @param connections connections accepted so far
 * @param openConnections connections open right now
 * @param requests requests received, any method and path
 * @param bytesSent response body bytes handed to the connections
 * @param writeQueueFull times a response found its connection's write queue full and waited for the
 *     drain: proof that a slow reader paused the origin
 */
public record SourceStats(
    String address,
    long connections,
    long openConnections,
    long requests,
    long bytesSent,
    long writeQueueFull) {

  /** Stats of an address the origin has not seen. */
  public static SourceStats none(String address) {
    return new SourceStats(address, 0, 0, 0, 0, 0);
  }
}
