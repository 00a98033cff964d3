package io.bamqp.proxy.stats.internal;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The statistics page's files (its HTML, script and style), read from the jar once at start and
 * served from memory. The HTML answer carries a policy that lets the page load these files and
 * nothing else.
 */
final class PageAssets {
  /** What every HTML answer may load: its own assets, nothing else, in no frame. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
          + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final Map<String, String> TYPES =
      Map.of(
          "/", "text/html; charset=utf-8",
          "/stats.js", "text/javascript; charset=utf-8",
          "/stats.css", "text/css; charset=utf-8");
  private static final Map<String, String> FILES =
      Map.of("/", "index.html", "/stats.js", "stats.js", "/stats.css", "stats.css");

  private final Map<String, Buffer> bodies;

  private PageAssets(Map<String, Buffer> bodies) {
    this.bodies = bodies;
  }

  /** Blocking: reads the resources. */
  static PageAssets load() {
    Map<String, Buffer> bodies = new LinkedHashMap<>();
    FILES.forEach(
        (path, file) -> {
          try (InputStream in =
              PageAssets.class.getResourceAsStream("/io/bamqp/proxy/stats/web/" + file)) {
            if (in == null) {
              throw new IllegalStateException("the jar lacks the statistics page's " + file);
            }
            bodies.put(path, Buffer.buffer(in.readAllBytes()));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    return new PageAssets(bodies);
  }

  /** The request paths the page's files answer on. */
  static Set<String> paths() {
    return FILES.keySet();
  }

  /**
   * Answers the file at {@code path}, one of {@link #paths()}; {@code no-cache} so that a page
   * loaded after an upgrade never runs the old script.
   */
  void serve(RoutingContext ctx, String path) {
    HttpServerResponse response = ctx.response();
    response.putHeader("content-type", TYPES.get(path)).putHeader("cache-control", "no-cache");
    if (path.equals("/")) {
      response.putHeader("content-security-policy", CONTENT_SECURITY_POLICY);
    }
    response.end(bodies.get(path));
  }
}
