package io.bamqp.peer.internal;

import io.bamqp.peer.AuditEntry;
import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.peer.RangeFetch;
import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The audit entry of one range fetch, from its outcome. A request refused before the helper
 * contacted anything gets a compact entry (code only, no URL): a neighbor can send many of those.
 */
final class RangeAudit {
  private static final Set<PeerErrorCode> BEFORE_ANY_FETCH =
      EnumSet.of(
          PeerErrorCode.BAD_REQUEST,
          PeerErrorCode.NO_SUCH_JOB,
          PeerErrorCode.BUSY,
          PeerErrorCode.DECLINED,
          PeerErrorCode.DESTINATION_REFUSED);

  private RangeAudit() {}

  /** {@code relay} is null when the fetch was refused before one started. */
  static AuditEntry entry(
      RequestAuth.Caller caller,
      Buffer body,
      String jobId,
      RangeFetch fetch,
      RangeRelay relay,
      AsyncResult<Void> done) {
    boolean started = relay != null && relay.started();
    if (!started
        && !done.succeeded()
        && done.cause() instanceof PeerException refusal
        && BEFORE_ANY_FETCH.contains(refusal.code())) {
      return AuditEntry.refusal(
          Instant.now(),
          caller.id().toString(),
          jobId,
          fetch.first(),
          fetch.last(),
          refusal.code());
    }
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
