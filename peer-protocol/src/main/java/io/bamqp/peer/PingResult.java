package io.bamqp.peer;

import java.time.Duration;

/**
 * What {@link HelperLink#ping()} learned: the helper's answer and the round trip it took (request
 * sent to answer read, on an open connection or including the connection's set-up).
 *
 * @param answer the helper's answer
 * @param roundTrip measured on the home's monotonic clock
 */
public record PingResult(PingAnswer answer, Duration roundTrip) {}
