package io.bamqp.proxy.session;

import io.bamqp.planner.ByteRange;
import io.bamqp.proxy.session.Eligibility.Download;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Locale;

/**
 * The home node's own line as a source: {@code Range} requests to the origin with {@code If-Range},
 * each answer checked before a byte of it is used (206, exact {@code Content-Range}, same
 * validator, identity coding). An answer that shows another version fails with {@link
 * ObjectChangedException}.
 */
final class HomeLine implements ByteSource {
  private final HttpClient client;
  private final RequestOptions target;
  private final Download download;

  /**
   * @param target the origin request the download came from (method, host, port, URI, headers);
   *     each fetch copies it and adds {@code Range} and {@code If-Range}
   */
  HomeLine(HttpClient client, RequestOptions target, Download download) {
    this.client = client;
    this.target = target;
    this.download = download;
  }

  @Override
  public String name() {
    return "home";
  }

  @Override
  public Future<Flow> open(ByteRange range) {
    RequestOptions options = new RequestOptions(target).setMethod(HttpMethod.GET);
    if (options.getHeaders() != null) {
      options.getHeaders().remove("range").remove("if-range");
    }
    options
        .putHeader("Range", range.rangeHeader())
        .putHeader("If-Range", download.etag() != null ? download.etag() : download.lastModified());
    return client
        .request(options)
        .compose(request -> request.send())
        .compose(response -> check(response, range));
  }

  private Future<Flow> check(HttpClientResponse response, ByteRange range) {
    String problem = problemWith(response, range);
    if (problem == null) {
      return Future.succeededFuture(new ResponseFlow(response));
    }
    new ResponseFlow(response).cancel();
    boolean changed = response.statusCode() == 200 || problem.startsWith("validator");
    return Future.failedFuture(
        changed ? new ObjectChangedException(problem) : new IllegalStateException(problem));
  }

  private String problemWith(HttpClientResponse response, ByteRange range) {
    if (response.statusCode() != 206) {
      return "origin answered " + response.statusCode() + " to a Range request";
    }
    String expected = "bytes " + range.first() + "-" + range.last() + "/" + download.totalBytes();
    String contentRange = response.getHeader("content-range");
    if (!expected.equals(contentRange == null ? null : contentRange.trim())) {
      return "Content-Range '" + contentRange + "' is not '" + expected + "'";
    }
    String etag = response.getHeader("etag");
    if (download.etag() != null && !download.etag().equals(etag == null ? null : etag.trim())) {
      return "validator changed: ETag " + etag + " is not " + download.etag();
    }
    String modified = response.getHeader("last-modified");
    if (download.etag() == null && !download.lastModified().equals(modified)) {
      return "validator changed: Last-Modified " + modified + " is not " + download.lastModified();
    }
    String coding = response.getHeader("content-encoding");
    if (coding != null && !coding.trim().toLowerCase(Locale.ROOT).equals("identity")) {
      return "content coding '" + coding + "'";
    }
    return null;
  }
}
