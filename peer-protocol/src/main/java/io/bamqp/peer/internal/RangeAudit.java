package io.bamqp.peer.internal;

import io.bamqp.peer.AuditEntry;
import io.bamqp.peer.PeerException;
import io.bamqp.peer.RangeFetch;
import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** The audit entry of one range fetch, from its outcome. */
final class RangeAudit {
  private RangeAudit() {}

  /** {@code relay} is null when the fetch was refused before one started. */
  static AuditEntry entry(
      RequestAuth.Caller caller,
      Buffer body,
      String jobId,
      RangeFetch fetch,
      RangeRelay relay,
      AsyncResult<Void> done) {
    return new AuditEntry(
        Instant.now().toString(),
        caller.id().toString(),
        jobId,
        fetch.url(),
        fetch.first(),
        fetch.last(),
        relay == null ? 0 : relay.bytesSent(),
        outcome(relay, done),
        AuditEntry.SignedRequest.of(caller.signature()),
        body.toString(StandardCharsets.UTF_8),
        Base64.getEncoder().encodeToString(caller.key().raw()));
  }

  private static String outcome(RangeRelay relay, AsyncResult<Void> done) {
    if (done.succeeded()) {
      return AuditEntry.COMPLETE;
    }
    Throwable cause = done.cause();
    boolean started = relay != null && relay.started();
    if (!started && cause instanceof PeerException refusal) {
      return "refused " + refusal.code() + ": " + refusal.detail();
    }
    return "aborted: "
        + (cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage());
  }
}
