package io.bamqp.proxy.aggregation;

import io.bamqp.peer.OriginAnswerCheck;
import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.peer.RangeFetch;
import io.bamqp.planner.ByteRange;
import io.bamqp.proxy.aggregation.Eligibility.Download;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Optional;

/**
 * The home node's own line as a source: {@code Range} requests to the origin with {@code If-Range},
 * each answer checked before a byte of it is used, by the same {@link OriginAnswerCheck} a helper
 * applies (206, exact {@code Content-Range}, same validator, identity coding, one part). An answer
 * that shows another version fails with {@link ObjectChangedException}.
 */
final class HomeLine implements ByteSource {
  private final HttpClient client;
  private final RequestOptions target;
  private final Download download;
  private final String name;

  /**
   * @param target the origin request the download came from (method, host, port, URI, headers);
   *     each fetch copies it and adds {@code Range} and {@code If-Range}
   */
  HomeLine(HttpClient client, RequestOptions target, Download download) {
    this(client, target, download, "home");
  }

  /**
   * The same over another of the home's own lines ({@code wan.lines}): {@code client} binds that
   * line's address, {@code name} is the line's.
   */
  HomeLine(HttpClient client, RequestOptions target, Download download, String name) {
    this.client = client;
    this.target = target;
    this.download = download;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<Flow> open(ByteRange range) {
    RangeFetch asked =
        new RangeFetch(
            target.getURI(),
            range.first(),
            range.last(),
            download.totalBytes(),
            download.etag(),
            download.etag() == null ? download.lastModified() : null);
    // RequestOptions' copy constructor shares the headers map, and a request reads it only once it
    // has a connection: each fetch gets its own map, or concurrent fetches overwrite each other's
    // Range.
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (target.getHeaders() != null) {
      headers.addAll(target.getHeaders()).remove("range").remove("if-range");
    }
    headers.add("Range", range.rangeHeader()).add("If-Range", asked.ifRange());
    RequestOptions options =
        new RequestOptions(target).setMethod(HttpMethod.GET).setHeaders(headers);
    return client
        .request(options)
        .compose(request -> request.send())
        .compose(response -> check(response, asked));
  }

  private Future<Flow> check(HttpClientResponse response, RangeFetch asked) {
    Optional<PeerException> refusal =
        OriginAnswerCheck.refusal(asked, response.statusCode(), response.headers());
    if (refusal.isEmpty()) {
      return Future.succeededFuture(StreamFlow.of(response, asked.length()));
    }
    StreamFlow.of(response).cancel();
    PeerException problem = refusal.get();
    boolean changed = problem.code() == PeerErrorCode.VALIDATOR_MISMATCH;
    return Future.failedFuture(
        changed
            ? new ObjectChangedException(problem.detail())
            : new IllegalStateException(problem.detail()));
  }
}
