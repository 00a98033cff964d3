package io.bamqp.peer.internal;

import io.bamqp.peer.AuditLog;
import io.bamqp.peer.JobAnswer;
import io.bamqp.peer.JobOffer;
import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.peer.PeerProtocol;
import io.bamqp.peer.PingAnswer;
import io.bamqp.peer.RangeFetch;
import io.bamqp.security.PeerId;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.regex.Pattern;

/**
 * Routes the helper's endpoints and maps every failure to its answer in one place: a {@link
 * PeerException} becomes its status and a {@code PeerError} body while nothing was sent, anything
 * else {@code INTERNAL}; once a range body began, the connection is reset instead. Every request is
 * authenticated ({@link RequestAuth}) after its body is read and before anything else, and the jobs
 * it names are the caller's own; every range fetch is audited.
 */
final class PeerRouter {
  private static final String VERSION = Integer.toString(PeerProtocol.VERSION);

  /** A {@code Content-Length} small enough to be a message: compiled once, checked per request. */
  private static final Pattern MESSAGE_LENGTH = Pattern.compile("\\d{1,9}");

  private static final String PREFIX = "/bamqp/v";

  private final HelperResources helper;

  PeerRouter(HelperResources helper) {
    this.helper = helper;
  }

  void handle(HttpServerRequest request) {
    request.pause();
    request.response().putHeader(PeerProtocol.VERSION_HEADER, VERSION);
    Future<Void> outcome;
    try {
      outcome = route(request);
    } catch (PeerException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.onFailure(cause -> answerError(request, cause));
  }

  private Future<Void> route(HttpServerRequest request) throws PeerException {
    String path = request.path();
    if (!path.startsWith(PREFIX)) {
      throw new PeerException(PeerErrorCode.NO_SUCH_ENDPOINT, "no endpoint at " + path);
    }
    String[] parts = path.substring(PREFIX.length()).split("/", -1);
    if (!parts[0].equals(VERSION)) {
      throw unsupported("the path asks for version '" + parts[0] + "'");
    }
    String header = request.getHeader(PeerProtocol.VERSION_HEADER);
    if (!VERSION.equals(header)) {
      throw unsupported(
          header == null
              ? "the request has no " + PeerProtocol.VERSION_HEADER + " header"
              : "the request speaks version '" + header + "'");
    }
    HttpMethod method = request.method();
    if (parts.length == 2 && parts[1].equals("jobs") && method == HttpMethod.POST) {
      return authenticated(request, this::offer);
    }
    if (parts.length == 2 && parts[1].equals("ping") && method == HttpMethod.GET) {
      return authenticated(request, this::ping);
    }
    if (parts.length == 3 && parts[1].equals("jobs") && method == HttpMethod.DELETE) {
      String jobId = jobId(parts[2]);
      return authenticated(request, call -> release(call, jobId));
    }
    if (parts.length == 4
        && parts[1].equals("jobs")
        && parts[3].equals("ranges")
        && method == HttpMethod.POST) {
      String jobId = jobId(parts[2]);
      return authenticated(request, call -> fetchRange(call, jobId));
    }
    throw new PeerException(
        PeerErrorCode.NO_SUCH_ENDPOINT, "no endpoint for " + method + " " + path);
  }

  /** A request whose body is read and whose sender is proven. */
  private record Call(HttpServerRequest request, Buffer body, RequestAuth.Caller caller) {
    PeerId peer() {
      return caller.id();
    }
  }

  /** One endpoint's work on an authenticated call. */
  private interface Endpoint {
    Future<Void> handle(Call call) throws PeerException;
  }

  private Future<Void> authenticated(HttpServerRequest request, Endpoint endpoint) {
    return readBody(request)
        .compose(
            body -> {
              try {
                RequestAuth.Caller caller = helper.auth().check(request, body);
                return endpoint.handle(new Call(request, body, caller));
              } catch (PeerException e) {
                return Future.failedFuture(e);
              }
            });
  }

  private Future<Void> offer(Call call) throws PeerException {
    JobOffer offer = Json.decode(call.body(), JobOffer.class, PeerErrorCode.BAD_REQUEST);
    // A job is worth accepting if its first chunk fits; ranges are held to the limits as they flow.
    long firstChunk = Math.min(offer.sizeBytes(), PeerProtocol.CHUNK_BYTES);
    String declined = helper.options().sharingGate().declineReason(call.peer(), firstChunk);
    JobAnswer answer =
        declined != null && helper.sharing().enabled()
            ? JobAnswer.decline(declined)
            : helper.jobs().offer(call.peer(), offer, readsQueue(call.request()));
    return sendJson(call.request().response(), answer);
  }

  /** Whether the home named the queue feature on its offer (an older home does not). */
  private static boolean readsQueue(HttpServerRequest request) {
    String features = request.getHeader(PeerProtocol.FEATURES_HEADER);
    if (features == null) {
      return false;
    }
    for (String feature : features.split(",", 16)) {
      if (feature.trim().equals(PeerProtocol.FEATURE_QUEUE)) {
        return true;
      }
    }
    return false;
  }

  private Future<Void> ping(Call call) {
    SharingState sharing = helper.sharing();
    PingAnswer answer =
        new PingAnswer(
            helper.auth().self().toString(),
            sharing.enabled(),
            sharing.enabled() ? sharing.rateBytesPerSec() : 0);
    return sendJson(call.request().response(), answer);
  }

  private Future<Void> release(Call call, String jobId) {
    helper.jobs().release(call.peer(), jobId);
    call.request().response().setStatusCode(204).end();
    return Future.succeededFuture();
  }

  private Future<Void> fetchRange(Call call, String jobId) throws PeerException {
    if (!helper.sharing().enabled()) {
      throw new PeerException(PeerErrorCode.SHARING_DISABLED, "sharing is off on this node");
    }
    RangeFetch fetch = Json.decode(call.body(), RangeFetch.class, PeerErrorCode.BAD_REQUEST);
    JobTable.Job job = helper.jobs().find(call.peer(), jobId);
    RangeRelay relay =
        job == null ? null : new RangeRelay(helper, job, call.request(), call.caller());
    Future<Void> outcome;
    // The first chunk must fit; each later read is asked again while the range flows (RangeRelay).
    long firstChunk = Math.min(fetch.length(), PeerProtocol.CHUNK_BYTES);
    String declined = helper.options().sharingGate().declineReason(call.peer(), firstChunk);
    if (job == null) {
      outcome =
          Future.failedFuture(new PeerException(PeerErrorCode.NO_SUCH_JOB, "no job " + jobId));
    } else if (declined != null) {
      outcome = Future.failedFuture(new PeerException(PeerErrorCode.DECLINED, declined));
    } else {
      outcome = relay.run(fetch);
    }
    AuditLog audit = helper.audit();
    if (audit != null) {
      outcome.onComplete(
          done ->
              audit.append(
                  RangeAudit.entry(call.caller(), call.body(), jobId, fetch, relay, done)));
    }
    return outcome;
  }

  private static Future<Buffer> readBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null
        && (!MESSAGE_LENGTH.matcher(length).matches()
            || Long.parseLong(length) > PeerProtocol.MAX_MESSAGE_BYTES)) {
      return Future.failedFuture(
          new PeerException(
              PeerErrorCode.MESSAGE_TOO_LARGE,
              "message larger than " + PeerProtocol.MAX_MESSAGE_BYTES + " bytes"));
    }
    return BoundedBody.read(
        request, PeerProtocol.MAX_MESSAGE_BYTES, PeerErrorCode.MESSAGE_TOO_LARGE);
  }

  private static Future<Void> sendJson(HttpServerResponse response, Object message) {
    Buffer body = Json.encode(message);
    return response
        .setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, PeerProtocol.JSON)
        .end(body);
  }

  private static void answerError(HttpServerRequest request, Throwable cause) {
    HttpServerResponse response = request.response();
    if (response.headWritten() || response.closed()) {
      response.reset();
      return;
    }
    PeerException error =
        cause instanceof PeerException peer
            ? peer
            : new PeerException(PeerErrorCode.INTERNAL, "unexpected failure");
    boolean unread = !request.isEnded();
    if (unread) {
      // The rest of the request is left unread: the connection cannot carry another one.
      response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    response
        .setStatusCode(error.code().httpStatus())
        .putHeader(HttpHeaders.CONTENT_TYPE, PeerProtocol.JSON)
        .end(Json.encode(error.toError()))
        .onComplete(
            sent -> {
              if (unread) {
                request.connection().close();
              }
            });
  }

  private static String jobId(String segment) throws PeerException {
    try {
      return JobOffer.requireJobId(segment);
    } catch (IllegalArgumentException e) {
      throw new PeerException(PeerErrorCode.BAD_REQUEST, "bad job id in the path");
    }
  }

  private static PeerException unsupported(String what) {
    return new PeerException(
        PeerErrorCode.UNSUPPORTED_VERSION,
        "this node speaks bamqp peer protocol " + VERSION + "; " + what);
  }
}
