package io.bamqp.peer.internal;

import io.bamqp.peer.JobOffer;
import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.peer.PeerProtocol;
import io.bamqp.peer.RangeFetch;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Routes the helper's endpoints and maps every failure to its answer in one place: a {@link
 * PeerException} becomes its status and a {@code PeerError} body while nothing was sent, anything
 * else {@code INTERNAL}; once a range body began, the connection is reset instead.
 */
final class PeerRouter {
  private static final String VERSION = Integer.toString(PeerProtocol.VERSION);
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
      return offer(request);
    }
    if (parts.length == 3 && parts[1].equals("jobs") && method == HttpMethod.DELETE) {
      helper.jobs().release(jobId(parts[2]));
      request.resume();
      request.response().setStatusCode(204).end();
      return Future.succeededFuture();
    }
    if (parts.length == 4
        && parts[1].equals("jobs")
        && parts[3].equals("ranges")
        && method == HttpMethod.POST) {
      return fetchRange(request, jobId(parts[2]));
    }
    throw new PeerException(
        PeerErrorCode.NO_SUCH_ENDPOINT, "no endpoint for " + method + " " + path);
  }

  private Future<Void> offer(HttpServerRequest request) {
    return readMessage(request, JobOffer.class)
        .compose(offer -> sendJson(request.response(), helper.jobs().offer(offer)));
  }

  private Future<Void> fetchRange(HttpServerRequest request, String jobId) throws PeerException {
    if (!helper.options().sharingEnabled()) {
      throw new PeerException(PeerErrorCode.SHARING_DISABLED, "sharing is off on this node");
    }
    JobTable.Job job = helper.jobs().find(jobId);
    if (job == null) {
      throw new PeerException(PeerErrorCode.NO_SUCH_JOB, "no job " + jobId);
    }
    RangeRelay relay = new RangeRelay(helper, job, request);
    return readMessage(request, RangeFetch.class).compose(relay::run);
  }

  private static <T> Future<T> readMessage(HttpServerRequest request, Class<T> type) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null
        && (!length.matches("\\d{1,9}")
            || Long.parseLong(length) > PeerProtocol.MAX_MESSAGE_BYTES)) {
      return Future.failedFuture(
          new PeerException(
              PeerErrorCode.MESSAGE_TOO_LARGE,
              "message larger than " + PeerProtocol.MAX_MESSAGE_BYTES + " bytes"));
    }
    return BoundedBody.read(
            request, PeerProtocol.MAX_MESSAGE_BYTES, PeerErrorCode.MESSAGE_TOO_LARGE)
        .compose(
            body -> {
              try {
                return Future.succeededFuture(Json.decode(body, type, PeerErrorCode.BAD_REQUEST));
              } catch (PeerException e) {
                return Future.failedFuture(e);
              }
            });
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
