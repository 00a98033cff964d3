package io.bamqp.peer.internal;

import io.bamqp.peer.HelperLink;
import io.bamqp.peer.HelperLinkOptions;
import io.bamqp.peer.JobAnswer;
import io.bamqp.peer.JobOffer;
import io.bamqp.peer.PeerError;
import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.peer.PeerProtocol;
import io.bamqp.peer.RangeFetch;
import io.bamqp.peer.RangeStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@link HelperLink}: one pooled HTTP/1.1 client towards one neighbor's peer listener.
 *
 * <p>Every exchange runs on the context the link was created on (the caller's event loop, or one of
 * its own when created elsewhere): its connections then live on that loop, and a response's events
 * cannot race the code that sets its handlers.
 */
public final class HelperLinkImpl implements HelperLink {
  private static final String VERSION = Integer.toString(PeerProtocol.VERSION);

  private final Context context;
  private final HelperLinkOptions options;
  private final HttpClient client;

  public HelperLinkImpl(Vertx vertx, HelperLinkOptions options) {
    this.context = vertx.getOrCreateContext();
    this.options = options;
    HttpClientOptions clientOptions =
        new HttpClientOptions(options.clientOptions())
            .setConnectTimeout((int) options.connectTimeout().toMillis())
            .setIdleTimeout((int) options.idleTimeout().toMillis())
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    if (options.localAddress() != null) {
      clientOptions.setLocalAddress(options.localAddress());
    }
    this.client =
        vertx.createHttpClient(
            clientOptions, new PoolOptions().setHttp1MaxSize(HelperLinkOptions.MAX_CONNECTIONS));
  }

  @Override
  public Future<JobAnswer> offer(JobOffer offer) {
    return onContext(
        () ->
            send(HttpMethod.POST, PeerProtocol.JOBS_PATH, Json.encode(offer))
                .compose(response -> expect(response, 200))
                .compose(response -> readMessage(response, JobAnswer.class)));
  }

  @Override
  public Future<RangeStream> fetch(String jobId, RangeFetch fetch) {
    String path = PeerProtocol.rangesPath(JobOffer.requireJobId(jobId));
    return onContext(() -> fetchOnContext(path, fetch));
  }

  private Future<RangeStream> fetchOnContext(String path, RangeFetch fetch) {
    return send(HttpMethod.POST, path, Json.encode(fetch))
        .compose(response -> expect(response, 200))
        .compose(
            response -> {
              String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
              if (!Long.toString(fetch.length()).equals(length)) {
                discard(response);
                return Future.failedFuture(
                    new PeerException(
                        PeerErrorCode.BAD_ANSWER,
                        "Content-Length " + length + " for a range of " + fetch.length()));
              }
              return Future.succeededFuture(new RangeStreamImpl(response, fetch.range()));
            });
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
    return client.close();
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
   * Sends one request. Every request of the protocol leaves from here: the place where a request
   * signature will be added.
   */
  private Future<HttpClientResponse> send(HttpMethod method, String path, Buffer body) {
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
    return client.request(request).compose(r -> body == null ? r.send() : r.send(body));
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
