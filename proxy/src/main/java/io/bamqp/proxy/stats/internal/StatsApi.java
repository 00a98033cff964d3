package io.bamqp.proxy.stats.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.bamqp.proxy.aggregation.DownloadSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The statistics server's routes: the read-only JSON API, the event stream and the two guarded
 * changes, with the page's files ({@link PageAssets}) and {@code /metrics} ({@link
 * PrometheusMetrics}) mounted beside them. Every error is JSON with a precise message; no stack
 * trace ever leaves the server.
 */
final class StatsApi {
  /** The largest request body accepted (the changes carry a few bytes of JSON). */
  static final int MAX_BODY_BYTES = 1024;

  private static final System.Logger LOG = System.getLogger("io.bamqp.stats");

  private final Vertx vertx;
  private final StatsVerticle stats;
  private final PageAssets assets;
  private final ChangeGuard guard;

  StatsApi(Vertx vertx, StatsVerticle stats, PageAssets assets) {
    this.vertx = vertx;
    this.stats = stats;
    this.assets = assets;
    this.guard = new ChangeGuard(stats.options().token());
  }

  Router router() {
    Router router = Router.router(vertx);
    router.route().handler(this::commonHeaders);
    router.route().handler(HostGuard::check);
    for (String path : PageAssets.paths()) {
      router.get(path).handler(ctx -> assets.serve(ctx, path));
      only(router, path, "GET");
    }
    router.get("/api/downloads").handler(this::downloads);
    only(router, "/api/downloads", "GET");
    router.get("/api/downloads/:id").handler(this::download);
    only(router, "/api/downloads/:id", "GET");
    router
        .get("/api/peers")
        .handler(ctx -> Json.send(ctx.response(), 200, Map.of("peers", stats.peers())));
    only(router, "/api/peers", "GET");
    router.post("/api/peers/:id/trust").handler(this::trust);
    only(router, "/api/peers/:id/trust", "POST");
    router
        .get("/api/sharing")
        .handler(ctx -> Json.send(ctx.response(), 200, stats.sources().sharing().sharing()));
    router
        .post("/api/sharing")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(this::setSharing);
    only(router, "/api/sharing", "GET, POST");
    router
        .get("/api/stats")
        .handler(ctx -> Json.send(ctx.response(), 200, stats.totals(stats.live())));
    only(router, "/api/stats", "GET");
    router.get("/api/events").handler(this::follow);
    only(router, "/api/events", "GET");
    router.get("/metrics").handler(new PrometheusMetrics(stats));
    only(router, "/metrics", "GET");
    router
        .route()
        .handler(ctx -> Json.error(ctx.response(), 404, "no such page: " + ctx.normalizedPath()));
    router.errorHandler(
        413,
        ctx ->
            Json.error(
                ctx.response(), 413, "request body larger than " + MAX_BODY_BYTES + " bytes"));
    router.errorHandler(400, ctx -> Json.error(ctx.response(), 400, "malformed request"));
    router.errorHandler(
        500,
        ctx -> {
          LOG.log(System.Logger.Level.WARNING, "statistics request failed", ctx.failure());
          Json.error(ctx.response(), 500, "internal error");
        });
    return router;
  }

  private void commonHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("referrer-policy", "no-referrer")
        .putHeader("x-frame-options", "DENY");
    ctx.next();
  }

  /** Any other method on {@code path} answers 405 with the allowed ones. */
  private static void only(Router router, String path, String allowed) {
    router
        .route(path)
        .handler(
            ctx -> {
              ctx.response().putHeader("allow", allowed);
              Json.error(
                  ctx.response(),
                  405,
                  "method "
                      + ctx.request().method()
                      + " is not allowed on "
                      + ctx.normalizedPath()
                      + "; allowed: "
                      + allowed);
            });
  }

  private void downloads(RoutingContext ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("live", stats.live());
    body.put("history", stats.records().history());
    body.put("historySize", stats.options().historySize());
    body.put("historyVersion", stats.records().version());
    body.put("lines", stats.lines());
    Json.send(ctx.response(), 200, body);
  }

  private void download(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Optional<DownloadSnapshot> found =
        stats.live().stream()
            .filter(d -> d.id().equals(id))
            .findFirst()
            .or(() -> stats.records().find(id));
    if (found.isPresent()) {
      Json.send(ctx.response(), 200, found.get());
    } else {
      Json.error(ctx.response(), 404, "no download with id '" + id + "' (live or in the history)");
    }
  }

  private void follow(RoutingContext ctx) {
    stats.events().follow(ctx.request().remoteAddress().hostAddress(), ctx.response());
    stats.events().publish("update", Json.encode(stats.update()));
  }

  private void setSharing(RoutingContext ctx) {
    if (refused(ctx)) {
      return;
    }
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(ctx.body().asString());
    } catch (IOException | RuntimeException malformed) {
      body = null;
    }
    if (body == null || !body.path("enabled").isBoolean()) {
      Json.error(ctx.response(), 400, "the body must be JSON like {\"enabled\": true}");
      return;
    }
    answer(ctx, stats.sources().actions().setSharing(body.get("enabled").booleanValue()));
  }

  private void trust(RoutingContext ctx) {
    if (!refused(ctx)) {
      answer(ctx, stats.sources().actions().trust(ctx.pathParam("id")));
    }
  }

  /** Answers the refusal, if the guard has one. */
  private boolean refused(RoutingContext ctx) {
    ChangeGuard.Refusal refusal =
        guard.check(
            ctx.request().getHeader("origin"),
            ctx.request().getHeader("host"),
            ctx.request().getHeader("authorization"));
    if (refusal == null) {
      return false;
    }
    if (refusal.status() == 401) {
      ctx.response().putHeader("www-authenticate", "Bearer realm=\"bamqp\"");
    }
    Json.error(ctx.response(), refusal.status(), refusal.message());
    return true;
  }

  private static void answer(RoutingContext ctx, Future<Void> action) {
    action.onComplete(
        done -> {
          if (done.succeeded()) {
            Json.send(ctx.response(), 200, Map.of("ok", true));
            return;
          }
          Throwable cause = done.cause();
          int status =
              cause instanceof UnsupportedOperationException
                  ? 501
                  : cause instanceof IllegalArgumentException
                      ? 400
                      : cause instanceof NoSuchElementException ? 404 : 500;
          Json.error(ctx.response(), status, String.valueOf(cause.getMessage()));
        });
  }
}
