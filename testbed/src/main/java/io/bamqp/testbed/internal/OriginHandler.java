package io.bamqp.testbed.internal;

import io.bamqp.testbed.Content;
import io.bamqp.testbed.Line;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Routes a request, applies its line's latency, writes the response head and hands the body to a
 * {@link BodySender}. See the module README for the URL scheme and the headers. Runs on the
 * origin's event loop.
 */
public final class OriginHandler implements Handler<HttpServerRequest> {

  /** Prefix of fixed-length files: {@code /files/{size}}. */
  public static final String FILES = "/files/";

  /** Prefix of chunked files: {@code /chunked/{size}}. */
  public static final String CHUNKED = "/chunked/";

  /** Prefix of bodiless status answers: {@code /status/{code}}. */
  public static final String STATUS = "/status/";

  /** Prefix of redirects: {@code /redirect/{code}?to=<percent-encoded URL or path>}. */
  public static final String REDIRECT = "/redirect/";

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);
  private static final String OCTET_STREAM = "application/octet-stream";
  private static final String RANGE = "Range";
  private static final String IF_RANGE = "If-Range";

  private final Vertx vertx;
  private final Map<String, Long> namedFiles;
  private final Map<String, String> texts;
  private final Map<String, Map<String, String>> headers;
  private final int chunkSize;
  private final LineShaper shaper;
  private final FaultState faults;
  private final SourceCounters counters;

  public OriginHandler(
      Vertx vertx,
      Map<String, Long> namedFiles,
      Map<String, String> texts,
      Map<String, Map<String, String>> headers,
      int chunkSize,
      LineShaper shaper,
      FaultState faults,
      SourceCounters counters) {
    this.vertx = vertx;
    this.namedFiles = Map.copyOf(namedFiles);
    this.texts = Map.copyOf(texts);
    this.headers = Map.copyOf(headers);
    this.chunkSize = chunkSize;
    this.shaper = shaper;
    this.faults = faults;
    this.counters = counters;
  }

  /** Counts a new connection and its close against its source address. */
  public void onConnection(HttpConnection connection) {
    SourceCounters.Counters c = counters.of(sourceOf(connection.remoteAddress()));
    c.connectionOpened();
    connection.closeHandler(v -> c.connectionClosed());
  }

  @Override
  public void handle(HttpServerRequest request) {
    String address = sourceOf(request.remoteAddress());
    counters.of(address).request();
    Line line = shaper.lineFor(address);
    if (line.latency().isZero()) {
      respond(request, address);
    } else {
      vertx.setTimer(Math.max(1, line.latency().toMillis()), t -> respond(request, address));
    }
  }

  private void respond(HttpServerRequest request, String address) {
    HttpServerResponse response = request.response();
    if (response.closed()) {
      return;
    }
    response.putHeader(HttpHeaders.DATE, HTTP_DATE.format(Instant.now()));
    HttpMethod method = request.method();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      response.setStatusCode(405).putHeader(HttpHeaders.ALLOW, "GET, HEAD").end();
      return;
    }
    String path = request.path();
    headers.getOrDefault(path, Map.of()).forEach(response::putHeader);
    if (path.startsWith(STATUS)) {
      status(response, path.substring(STATUS.length()));
      return;
    }
    if (path.startsWith(REDIRECT)) {
      redirect(request, path.substring(REDIRECT.length()));
      return;
    }
    String text = texts.get(path);
    if (text != null) {
      response.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(text);
      return;
    }
    Content file = contentAt(path, namedFiles);
    if (file == null) {
      response.setStatusCode(404).end();
    } else if (path.startsWith(CHUNKED)) {
      chunked(request, address, file);
    } else {
      file(request, address, file);
    }
  }

  /**
   * The file served at {@code path} at version 0, or {@code null} when nothing is: {@code
   * /files/{size}}, {@code /chunked/{size}} or one of {@code namedFiles} (path to size).
   */
  public static Content contentAt(String path, Map<String, Long> namedFiles) {
    Long named = namedFiles.get(path);
    if (named != null) {
      return Content.ofPath(path, named);
    }
    String size =
        path.startsWith(FILES)
            ? path.substring(FILES.length())
            : path.startsWith(CHUNKED) ? path.substring(CHUNKED.length()) : null;
    long bytes = size == null ? -1 : ByteSizes.parse(size);
    return bytes < 0 ? null : Content.ofSize(bytes);
  }

  private void file(HttpServerRequest request, String address, Content file) {
    Content content = file.atVersion(faults.version());
    FaultPlan plan = faults.planFor(address);
    HttpServerResponse response = request.response();
    validators(response, content).putHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
    ByteRange range = plan.ignoreRange() ? ByteRange.WHOLE : rangeOf(request, content);
    long total = content.size();
    if (range instanceof ByteRange.Unsatisfiable) {
      response
          .setStatusCode(416)
          .putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + total)
          .putHeader(HttpHeaders.CONTENT_LENGTH, "0")
          .end();
      return;
    }
    long first = 0;
    long length = total;
    if (range instanceof ByteRange.Span span) {
      first = span.first();
      length = span.length();
      response.setStatusCode(206).putHeader(HttpHeaders.CONTENT_RANGE, span.contentRange(total));
    }
    response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
    body(request, address, content, first, length, plan);
  }

  private void chunked(HttpServerRequest request, String address, Content file) {
    Content content = file.atVersion(faults.version());
    HttpServerResponse response = request.response();
    validators(response, content).setChunked(true);
    body(request, address, content, 0, content.size(), faults.planFor(address));
  }

  private void body(
      HttpServerRequest request,
      String address,
      Content content,
      long first,
      long length,
      FaultPlan plan) {
    HttpServerResponse response = request.response();
    if (request.method() == HttpMethod.HEAD) {
      response.end();
      return;
    }
    new BodySender(
            vertx,
            response,
            content,
            first,
            length,
            chunkSize,
            shaper.bucketFor(address),
            plan,
            counters.of(address),
            faults)
        .start();
  }

  private static HttpServerResponse validators(HttpServerResponse response, Content content) {
    return response
        .putHeader(HttpHeaders.CONTENT_TYPE, OCTET_STREAM)
        .putHeader(HttpHeaders.ETAG, content.etag())
        .putHeader(HttpHeaders.LAST_MODIFIED, HTTP_DATE.format(content.lastModified()));
  }

  /** The requested range, or the whole body when {@code If-Range} does not match the ETag. */
  private static ByteRange rangeOf(HttpServerRequest request, Content content) {
    String range = request.getHeader(RANGE);
    if (range == null) {
      return ByteRange.WHOLE;
    }
    String ifRange = request.getHeader(IF_RANGE);
    if (ifRange != null && !ifRange.trim().equals(content.etag())) {
      return ByteRange.WHOLE;
    }
    return RangeHeader.parse(range, content.size());
  }

  private static void status(HttpServerResponse response, String code) {
    int status;
    try {
      status = Integer.parseInt(code);
    } catch (NumberFormatException e) {
      status = -1;
    }
    if (status < 200 || status > 599) {
      response.setStatusCode(404).end();
      return;
    }
    response.setStatusCode(status).end();
  }

  /** A 3xx whose {@code Location} is the {@code to} parameter as given (404 without one). */
  private static void redirect(HttpServerRequest request, String code) {
    String to = request.getParam("to");
    int status = code.matches("3\\d\\d") ? Integer.parseInt(code) : -1;
    if (status < 0 || to == null || to.isEmpty()) {
      request.response().setStatusCode(404).end();
      return;
    }
    request
        .response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.LOCATION, to)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
        .end("moved to " + to + "\n");
  }

  private static String sourceOf(SocketAddress remote) {
    String host = remote.hostAddress();
    return host != null ? host : remote.toString();
  }
}
