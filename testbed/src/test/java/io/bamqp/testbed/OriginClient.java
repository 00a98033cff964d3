package io.bamqp.testbed;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/** A test client of a {@link TestOrigin}: streams bodies into a hash, never into memory. */
final class OriginClient implements AutoCloseable {

  private final Vertx vertx;
  private final TestOrigin origin;
  private final HttpClient client;

  OriginClient(Vertx vertx, TestOrigin origin, String localAddress) {
    this.vertx = vertx;
    this.origin = origin;
    HttpClientOptions options = new HttpClientOptions();
    if (localAddress != null) {
      options.setLocalAddress(localAddress);
    }
    this.client = vertx.createHttpClient(options);
  }

  OriginClient(Vertx vertx, TestOrigin origin) {
    this(vertx, origin, null);
  }

  /**
   * Sends a request and answers once the response head arrived; the body is counted as it comes.
   */
  Future<Body> open(HttpMethod method, String uri, String... headerPairs) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.add(headerPairs[i], headerPairs[i + 1]);
    }
    RequestOptions request =
        new RequestOptions()
            .setMethod(method)
            .setHost(origin.host())
            .setPort(origin.port())
            .setURI(uri)
            .setHeaders(headers);
    long startNanos = System.nanoTime();
    return client
        .request(request)
        .compose(
            sent -> {
              // Body sets its handlers when the head arrives, in the same event-loop task, because
              // this listener is attached before the request is sent. Attached afterwards (as
              // send().map(...) from the test thread did), it could run after the body had
              // already ended, and setting a handler on an ended response throws.
              Future<Body> body = sent.response().map(r -> new Body(r, startNanos));
              return sent.end().compose(v -> body);
            });
  }

  /** A whole exchange: the head, then the body to its end. */
  Body get(String uri, String... headerPairs) {
    Body body = Await.result(open(HttpMethod.GET, uri, headerPairs));
    Await.result(body.end());
    return body;
  }

  Body head(String uri) {
    Body body = Await.result(open(HttpMethod.HEAD, uri));
    Await.result(body.end());
    return body;
  }

  @Override
  public void close() {
    Await.result(client.close());
  }

  /** A response whose body is being hashed and counted. */
  static final class Body {
    final HttpClientResponse response;
    private final long startNanos;
    private final long headNanos = System.nanoTime();
    private final MessageDigest digest = Content.newSha256();
    private final AtomicLong bytes = new AtomicLong();
    private final Future<Void> end;
    private volatile long endNanos;

    private Body(HttpClientResponse response, long startNanos) {
      this.response = response;
      this.startNanos = startNanos;
      response.handler(
          buf -> {
            digest.update(buf.getBytes());
            bytes.addAndGet(buf.length());
          });
      this.end = response.end().onComplete(ar -> endNanos = System.nanoTime());
    }

    int status() {
      return response.statusCode();
    }

    String header(String name) {
      return response.getHeader(name);
    }

    long bytes() {
      return bytes.get();
    }

    Future<Void> end() {
      return end;
    }

    /** SHA-256 hex of the body; call after the end. */
    String sha256Hex() {
      return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Body bytes per second from the response head to the end: the line's rate, without the
     * connection set-up of a cold JVM. The head travels with the first chunk.
     */
    double rate() {
      return bytes.get() / ((endNanos - headNanos) / 1e9);
    }

    long headNanos() {
      return headNanos;
    }

    long endNanos() {
      return endNanos;
    }

    /** Milliseconds from sending the request to the response head. */
    long millisToHead() {
      return (headNanos - startNanos) / 1_000_000;
    }
  }
}
