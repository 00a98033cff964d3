package io.bamqp.peer.internal;

import io.bamqp.peer.HelperLink;
import io.bamqp.peer.HelperLinkOptions;
import io.bamqp.peer.JobAnswer;
import io.bamqp.peer.JobOffer;
import io.bamqp.peer.PeerError;
import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.peer.PeerProtocol;
import io.bamqp.peer.PingAnswer;
import io.bamqp.peer.PingResult;
import io.bamqp.peer.RangeFetch;
import io.bamqp.peer.RangeStream;
import io.bamqp.peer.ReadBatching;
import io.bamqp.security.PeerKey;
import io.bamqp.security.PeerTls;
import io.bamqp.security.RequestSignature;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The {@link HelperLink}: two pooled HTTP/1.1 clients towards one neighbor's peer listener, one for
 * range bodies and one for offers, releases and pings, so that a short exchange never queues for a
 * connection behind ranges that stream for seconds (a slot moving between downloads waited on it).
 *
 * <p>Every exchange runs on the context the link was created on (the caller's event loop, or one of
 * its own when created elsewhere): its connections then live on that loop, and a response's events
 * cannot race the code that sets its handlers.
 */
public final class HelperLinkImpl implements HelperLink {
  private static final String VERSION = Integer.toString(PeerProtocol.VERSION);

  private final Context context;
  private final HelperLinkOptions options;
  private final HttpClient ranges;
  private final HttpClient control;

  public HelperLinkImpl(Vertx vertx, HelperLinkOptions options) {
    this.context = vertx.getOrCreateContext();
    this.options = options;
    HttpClientOptions clientOptions =
        new HttpClientOptions(options.clientOptions())
            .setConnectTimeout((int) options.connectTimeout().toMillis())
            .setIdleTimeout((int) options.idleTimeout().toMillis())
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            .setMaxChunkSize(ReadBatching.DECODED_CHUNK_BYTES);
    PeerTlsOptions.client(clientOptions, options);
    if (options.localAddress() != null) {
      clientOptions.setLocalAddress(options.localAddress());
    }
    this.ranges =
        vertx.createHttpClient(
            clientOptions, new PoolOptions().setHttp1MaxSize(HelperLinkOptions.MAX_CONNECTIONS));
    this.control =
        vertx.createHttpClient(
            clientOptions,
            new PoolOptions().setHttp1MaxSize(HelperLinkOptions.CONTROL_CONNECTIONS));
  }

  @Override
  public Future<JobAnswer> offer(JobOffer offer) {
    return onContext(
        () ->
            send(control, HttpMethod.POST, PeerProtocol.JOBS_PATH, Json.encode(offer), true)
                .compose(response -> expect(response, 200))
                .compose(response -> readMessage(response, JobAnswer.class)));
  }

  @Override
  public Future<RangeStream> fetch(String jobId, RangeFetch fetch) {
    String path = PeerProtocol.rangesPath(JobOffer.requireJobId(jobId));
    return onContext(() -> fetchOnContext(jobId, path, fetch));
  }

  private Future<RangeStream> fetchOnContext(String jobId, String path, RangeFetch fetch) {
    return send(ranges, HttpMethod.POST, path, Json.encode(fetch), false)
        .compose(response -> expect(response, 200))
        .compose(
            response -> {
              String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
              long framed = PeerProtocol.framedLength(fetch.first(), fetch.last());
              if (length != null && !Long.toString(framed).equals(length)) {
                return refuse(
                    response,
                    PeerErrorCode.BAD_CHUNK,
                    "Content-Length " + length + ", the signed range is " + framed + " bytes");
              }
              ChunkVerifier verifier =
                  new ChunkVerifier(jobId, fetch, helperKey(response), options.identity().id());
              return Future.succeededFuture(
                  new RangeStreamImpl(
                      context.owner(),
                      response,
                      fetch.range(),
                      verifier,
                      options.chunkTimeout().toMillis()));
            });
  }

  @Override
  public Future<PingResult> ping() {
    return onContext(
        () -> {
          long start = System.nanoTime();
          return send(HttpMethod.GET, PeerProtocol.PING_PATH, null)
              .compose(response -> expect(response, 200))
              .compose(response -> readMessage(response, PingAnswer.class))
              .compose(
                  answer -> {
                    Duration roundTrip = Duration.ofNanos(System.nanoTime() - start);
                    if (!options.expectedHelper().toString().equals(answer.peerId())) {
                      return Future.failedFuture(
                          new PeerException(
                              PeerErrorCode.BAD_ANSWER,
                              "the helper says it is "
                                  + answer.peerId()
                                  + ", not "
                                  + options.expectedHelper()));
                    }
                    return Future.succeededFuture(new PingResult(answer, roundTrip));
                  });
        });
  }

  /** The pinned helper's key, as the TLS handshake proved it. */
  private PeerKey helperKey(HttpClientResponse response) {
    try {
      return PeerTls.peerOf(response.request().connection().sslSession());
    } catch (SSLPeerUnverifiedException e) {
      throw new IllegalStateException("a TLS peer link without a verified helper", e);
    }
  }

  private static <T> Future<T> refuse(
      HttpClientResponse response, PeerErrorCode code, String detail) {
    discard(response);
    return Future.failedFuture(new PeerException(code, detail));
  }

  @Override
  public Future<Void> release(String jobId) {
    String path = PeerProtocol.jobPath(JobOffer.requireJobId(jobId));
    return onContext(
        () ->
            send(HttpMethod.DELETE, path, null)
                .compose(response -> expect(response, 204))
                .compose(HttpClientResponse::end));
  }

  @Override
  public Future<Void> close() {
    return Future.join(ranges.close(), control.close()).mapEmpty();
  }

  private <T> Future<T> onContext(Supplier<Future<T>> exchange) {
    if (Vertx.currentContext() == context) {
      return exchange.get();
    }
    Promise<T> result = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            exchange.get().onComplete(result);
          } catch (RuntimeException e) {
            result.fail(e);
          }
        });
    return result.future();
  }

  /**
   * Sends one request. Every request of the protocol leaves from here, signed for the expected
   * helper.
   */
  private Future<HttpClientResponse> send(HttpMethod method, String path, Buffer body) {
    return send(control, method, path, body, false);
  }

  /**
   * As {@link #send(HttpMethod, String, Buffer)}, over {@code pool}; {@code offer} names the
   * features it reads.
   */
  private Future<HttpClientResponse> send(
      HttpClient pool, HttpMethod method, String path, Buffer body, boolean offer) {
    RequestOptions request =
        new RequestOptions()
            .setMethod(method)
            .setHost(options.host())
            .setPort(options.port())
            .setURI(path)
            .setIdleTimeout(options.idleTimeout().toMillis())
            .putHeader(PeerProtocol.VERSION_HEADER, VERSION);
    if (body != null) {
      request.putHeader(HttpHeaders.CONTENT_TYPE, PeerProtocol.JSON);
    }
    if (offer) {
      request.putHeader(PeerProtocol.FEATURES_HEADER, PeerProtocol.FEATURE_QUEUE);
    }
    RequestSignature signature =
        RequestSignature.sign(
            options.identity(),
            options.expectedHelper(),
            method.name(),
            path,
            body == null ? null : body.getBytes(),
            System.currentTimeMillis());
    request.putHeader(PeerProtocol.SIGNATURE_HEADER, SignatureHeader.format(signature));
    Future<HttpClientRequest> opened;
    try {
      opened = pool.request(request);
    } catch (IllegalStateException closed) {
      // A closed link answers like an unreachable helper: a failed call, never a throw.
      return Future.failedFuture(closed);
    }
    return opened.compose(r -> body == null ? r.send() : r.send(body));
  }

  /** The response when it has {@code status}; else the helper's error as a failure. */
  private static Future<HttpClientResponse> expect(HttpClientResponse response, int status) {
    String version = response.getHeader(PeerProtocol.VERSION_HEADER);
    if (!VERSION.equals(version)) {
      discard(response);
      return Future.failedFuture(
          new PeerException(
              PeerErrorCode.UNSUPPORTED_VERSION,
              version == null
                  ? "the answer (" + response.statusCode() + ") is not from a bamqp peer"
                  : "the helper speaks bamqp peer protocol " + version + ", not " + VERSION));
    }
    if (response.statusCode() == status) {
      return Future.succeededFuture(response);
    }
    return readMessage(response, PeerError.class)
        .transform(
            read ->
                Future.failedFuture(
                    read.succeeded()
                        ? read.result().toException()
                        : new PeerException(
                            PeerErrorCode.BAD_ANSWER,
                            "status " + response.statusCode() + " without a readable PeerError")));
  }

  private static <T> Future<T> readMessage(HttpClientResponse response, Class<T> type) {
    return BoundedBody.read(response, PeerProtocol.MAX_MESSAGE_BYTES, PeerErrorCode.BAD_ANSWER)
        .compose(
            body -> {
              try {
                return Future.succeededFuture(Json.decode(body, type, PeerErrorCode.BAD_ANSWER));
              } catch (PeerException e) {
                return Future.failedFuture(e);
              }
            })
        .onFailure(cause -> discard(response));
  }

  /** Drops a response nobody will read, closing its connection. */
  private static void discard(HttpClientResponse response) {
    response.exceptionHandler(ignored -> {});
    response.request().reset();
  }
}
