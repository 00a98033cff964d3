package io.bamqp.proxy.stats;

/**
 * One neighbor as the statistics page shows it. Rates are bytes per second; a value this node has
 * not measured is -1 (bytes) or null (times), and {@code note} says why.
 *
 * @param id the peer ID
 * @param state {@code trusted}, {@code not trusted}, {@code online}, {@code offline}, {@code
 *     quarantined}, … as the peer table knows it
 * @param address where it is reached ({@code host:port}), or null
 * @param trusted whether {@code peer.trusted} lists it (only trusted peers get work)
 * @param offeredBytesPerSecond the rate it last offered, or -1
 * @param measuredBytesPerSecond the rate it last achieved for this node, or -1
 * @param rttMillis its last round trip, or -1
 * @param failures ranges it failed for this node's downloads
 * @param bytesGiven bytes this node fetched for it, or -1 when not measured
 * @param bytesReceived bytes it delivered to this node's downloads
 * @param lastSeenMillis when it last took part or answered, epoch milliseconds, or null
 * @param note what the owner should know about these figures, or null
 */
public record PeerView(
    String id,
    String state,
    String address,
    boolean trusted,
    long offeredBytesPerSecond,
    long measuredBytesPerSecond,
    long rttMillis,
    long failures,
    long bytesGiven,
    long bytesReceived,
    Long lastSeenMillis,
    String note) {}
