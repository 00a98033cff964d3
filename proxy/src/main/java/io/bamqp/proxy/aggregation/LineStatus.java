package io.bamqp.proxy.aggregation;

/**
 * One own line as the statistics page and {@code /api/downloads} show it.
 *
 * @param name the line's name ({@code wan.lines[].name}; {@code wan} for the one-line shorthand)
 * @param bindAddress its source address
 * @param primary whether it is the line the proxy's own traffic leaves by (its first response
 *     always comes over this line)
 * @param metered whether its volume is counted against a monthly cap
 * @param usedBytes what aggregated downloads fetched over it this month (metered lines only; 0
 *     otherwise)
 * @param monthlyCapBytes its cap; -1 for none
 * @param state {@code up}, or {@code down} while it waits to be tried again, or {@code capped}
 * @param retryInMillis when a down line is tried again; 0 when up
 */
public record LineStatus(
    String name,
    String bindAddress,
    boolean primary,
    boolean metered,
    long usedBytes,
    long monthlyCapBytes,
    String state,
    long retryInMillis) {}
