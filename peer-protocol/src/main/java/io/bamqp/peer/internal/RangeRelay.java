package io.bamqp.peer.internal;

import io.bamqp.peer.OriginAnswerCheck;
import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.peer.PeerProtocol;
import io.bamqp.peer.RangeFetch;
import io.bamqp.peer.ReadBatching;
import io.bamqp.security.Destination;
import io.bamqp.security.PeerId;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.TimeoutException;

/**
 * One {@code POST /bamqp/v1/jobs/{jobId}/ranges}: vet the URL, fetch the range from the checked
 * address, check the origin's answer, then stream the bytes home with back-pressure.
 *
 * <p>The future fails with a {@link PeerException} while nothing was sent home (the caller answers
 * it); once the 200 is out, a failure resets both connections instead, so the home sees a truncated
 * body, never a short one that looks complete. The range goes out as signed chunks ({@link
 * ChunkSigner}); every content byte sent is counted for the audit log and told to the owner's
 * {@link io.bamqp.peer.BytesGivenListener}. The owner's {@link io.bamqp.peer.SharingGate} is asked
 * again before every origin read is relayed: once it declines, the range is cut (a reset the home
 * treats as a failed range and re-plans elsewhere), so a cap or the off-peak window holds within a
 * range. Confined to the helper's event loop.
 */
final class RangeRelay {
  private final HelperResources helper;
  private final JobTable.Job job;
  private final HttpServerRequest homeRequest;
  private final HttpServerResponse homeResponse;
  private final RequestAuth.Caller caller;
  private HttpClientRequest originRequest;
  private long bytesSent;
  private PeerException aborted;
  private boolean finished;

  /** A relay for {@code caller}, the authenticated home. */
  RangeRelay(
      HelperResources helper,
      JobTable.Job job,
      HttpServerRequest homeRequest,
      RequestAuth.Caller caller) {
    this.helper = helper;
    this.job = job;
    this.homeRequest = homeRequest;
    this.homeResponse = homeRequest.response();
    this.caller = caller;
  }

  /** Content bytes handed to the home's connection so far. */
  long bytesSent() {
    return bytesSent;
  }

  /** Whether the range's 200 went out (a failure is then a reset, not an answer). */
  boolean started() {
    return homeResponse.headWritten();
  }

  /** Runs the fetch; {@code fetch} is the decoded message. */
  Future<Void> run(RangeFetch fetch) {
    if (helper.jobs().find(job.owner, job.offer.jobId()) != job) {
      return Future.failedFuture(
          new PeerException(
              PeerErrorCode.NO_SUCH_JOB, "job " + job.offer.jobId() + " ended meanwhile"));
    }
    if (fetch.totalBytes() != job.offer.sizeBytes()) {
      return Future.failedFuture(
          new PeerException(
              PeerErrorCode.BAD_REQUEST,
              "totalBytes "
                  + fetch.totalBytes()
                  + " is not the job's size "
                  + job.offer.sizeBytes()));
    }
    if (!job.startFetch(this)) {
      return Future.failedFuture(
          new PeerException(
              PeerErrorCode.BUSY,
              "the job already has " + job.fetches.size() + " range fetches in flight"));
    }
    homeResponse.closeHandler(v -> abort("the home went away"));
    return vetted(fetch.url())
        .compose(destination -> sendToOrigin(destination, fetch))
        .compose(originResponse -> relay(originResponse, fetch))
        .onComplete(
            done -> {
              finished = true;
              job.endFetch(this);
            });
  }

  /**
   * Stops the fetch at once: the origin request is reset and, if the range already flows, the
   * home's connection too.
   */
  void abort(String reason) {
    if (aborted != null || finished) {
      return;
    }
    aborted = new PeerException(PeerErrorCode.NO_SUCH_JOB, reason);
    if (originRequest != null) {
      originRequest.reset();
    }
    if (homeResponse.headWritten() && !homeResponse.ended()) {
      homeResponse.reset();
    }
  }

  /** Where to connect for {@code url}: the job's pinned address, or the guard's answer, pinned. */
  private Future<Destination> vetted(String url) {
    Destination pinned = job.pinned(url);
    if (pinned != null) {
      return Future.succeededFuture(pinned);
    }
    return helper.guard().vet(url).onSuccess(destination -> job.pin(url, destination));
  }

  private Future<HttpClientResponse> sendToOrigin(Destination destination, RangeFetch fetch) {
    if (aborted != null) {
      return Future.failedFuture(aborted);
    }
    long timeoutMillis = helper.options().originTimeout().toMillis();
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setServer(
                SocketAddress.inetSocketAddress(
                    destination.port(), destination.address().getHostAddress()))
            .setHost(destination.host())
            .setPort(destination.port())
            .setSsl(destination.tls())
            .setURI(destination.pathAndQuery())
            .setFollowRedirects(false)
            .setConnectTimeout(timeoutMillis)
            .setIdleTimeout(timeoutMillis)
            .putHeader("Range", fetch.range().rangeHeader())
            .putHeader("If-Range", fetch.ifRange())
            .putHeader(HttpHeaders.ACCEPT_ENCODING, HttpHeaders.IDENTITY);
    return helper
        .originClient()
        .request(request)
        .compose(
            sent -> {
              originRequest = sent;
              return aborted != null ? Future.failedFuture(aborted) : sent.send();
            })
        .recover(cause -> Future.failedFuture(originFailure(cause)));
  }

  private Future<Void> relay(HttpClientResponse originResponse, RangeFetch fetch) {
    PeerException refusal =
        aborted != null
            ? aborted
            : OriginAnswerCheck.refusal(
                    fetch, originResponse.statusCode(), originResponse.headers())
                .orElse(null);
    if (refusal != null) {
      originResponse.exceptionHandler(ignored -> {});
      originRequest.reset();
      return Future.failedFuture(refusal);
    }
    PeerId home = caller.id();
    OriginBody origin =
        new OriginBody(
            helper.vertx(),
            originResponse,
            helper.sharing().bucket(),
            fetch.length(),
            helper.options().originTimeout().toMillis(),
            bytes -> helper.options().sharingGate().declineReason(home, bytes),
            bytes -> {
              bytesSent += bytes;
              helper.options().bytesGiven().given(home, bytes);
            },
            ReadBatching.of(originResponse));
    ReadStream<Buffer> body =
        new Coalescing(
            helper.vertx(),
            new ChunkSigner(origin, helper.options().identity(), job.offer.jobId(), fetch, home));
    homeResponse
        .putHeader(
            HttpHeaders.CONTENT_LENGTH,
            Long.toString(PeerProtocol.framedLength(fetch.first(), fetch.last())))
        .putHeader(HttpHeaders.CONTENT_TYPE, PeerProtocol.CHUNKS)
        .setStatusCode(200)
        .putHeader(PeerProtocol.VERSION_HEADER, Integer.toString(PeerProtocol.VERSION));
    return body.pipe()
        .endOnFailure(false)
        .to(homeResponse)
        .onFailure(
            cause -> {
              originRequest.reset();
              homeResponse.reset();
            });
  }

  private Throwable originFailure(Throwable cause) {
    if (aborted != null) {
      return aborted;
    }
    if (cause instanceof PeerException) {
      return cause;
    }
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    if (cause instanceof TimeoutException
        || cause instanceof io.netty.channel.ConnectTimeoutException) {
      return new PeerException(PeerErrorCode.ORIGIN_TIMEOUT, why);
    }
    return new PeerException(PeerErrorCode.ORIGIN_UNREACHABLE, why);
  }
}
