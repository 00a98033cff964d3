package io.bamqp.proxy.stats;

import io.bamqp.proxy.aggregation.DownloadBoard;
import io.bamqp.proxy.stats.internal.StatsVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The statistics page on {@code stats.listen}: live and past downloads, peers, sharing, a JSON API
 * and Prometheus metrics. Read-only for anyone who reaches it; changes need {@code stats.token}.
 * The history of downloads is kept in {@code state.dir} (at most {@code stats.historySize}) and
 * loaded again at start.
 *
 * <pre>{@code
 * StatsServer.start(vertx, options, proxy.downloads(), new StatsSources(peers, sharing, actions))
 *     .onSuccess(stats -> System.out.println("http://127.0.0.1:" + stats.port() + "/"));
 * }</pre>
 */
public final class StatsServer {
  private final Vertx vertx;
  private final String deployment;
  private final StatsVerticle verticle;

  private StatsServer(Vertx vertx, String deployment, StatsVerticle verticle) {
    this.vertx = vertx;
    this.deployment = deployment;
    this.verticle = verticle;
  }

  /**
   * Loads the history and binds {@code stats.listen}; fails with a message naming {@code
   * stats.listen} when the address cannot be bound.
   */
  public static Future<StatsServer> start(
      Vertx vertx, StatsOptions options, DownloadBoard downloads, StatsSources sources) {
    StatsVerticle verticle = new StatsVerticle(options, downloads, sources);
    return vertx
        .deployVerticle(verticle)
        .map(deployment -> new StatsServer(vertx, deployment, verticle));
  }

  /** The port actually bound (useful when the config asked for port 0). */
  public int port() {
    return verticle.port();
  }

  /** Stops listening and ends the pages' event streams. */
  public Future<Void> close() {
    return vertx.undeploy(deployment);
  }
}
