package io.bamqp.peer.internal;

import io.bamqp.peer.AuditLog;
import io.bamqp.peer.HelperOptions;
import io.bamqp.peer.HelperServer;
import io.bamqp.peer.RateLimitedLog;
import io.bamqp.peer.ReadBatching;
import io.bamqp.security.PeerId;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link HelperServer}: a verticle, so its jobs, bucket, nonces, timers and connections all
 * live on one event loop of its own, whoever deploys it. The update methods hop onto that loop.
 */
public final class HelperVerticle extends VerticleBase implements HelperServer {
  private final HelperOptions options;
  private volatile HttpServer server;
  private final AtomicReference<String> deploymentId = new AtomicReference<>();
  private HttpClient originClient;
  private JobTable jobs;
  private DestinationGuard guard;
  private SharingState sharing;
  private AuditLog audit;

  private HelperVerticle(HelperOptions options) {
    this.options = options;
  }

  /** Deploys a helper and answers it once it listens. */
  public static Future<HelperServer> deploy(Vertx vertx, HelperOptions options) {
    HelperVerticle helper = new HelperVerticle(options);
    return vertx
        .deployVerticle(helper)
        .map(
            id -> {
              helper.deploymentId.set(id);
              return helper;
            });
  }

  @Override
  public Future<?> start() {
    HttpClientOptions clientOptions =
        new HttpClientOptions(options.originClientOptions())
            .setConnectTimeout((int) options.originTimeout().toMillis())
            .setMaxChunkSize(ReadBatching.DECODED_CHUNK_BYTES);
    if (options.bindAddress() != null) {
      clientOptions.setLocalAddress(options.bindAddress());
    }
    PoolOptions pool =
        new PoolOptions()
            .setHttp1MaxSize(options.maxConcurrentJobs() * HelperOptions.MAX_FETCHES_PER_JOB);
    originClient = vertx.createHttpClient(clientOptions, pool);
    sharing = new SharingState(options);
    jobs = new JobTable(vertx, options, sharing);
    RequestAuth auth = new RequestAuth(options.identity(), options.trustedPeers());
    return vertx
        .executeBlocking(
            () -> {
              if (options.auditDir() != null) {
                audit =
                    AuditLog.open(
                        options.auditDir(), options.auditRetentionDays(), options.auditMaxBytes());
              }
              return null;
            },
            false)
        .compose(
            opened -> {
              guard = new DestinationGuard(vertx, options.destinationPolicy());
              PeerRouter router =
                  new PeerRouter(
                      new HelperResources(
                          vertx, options, originClient, sharing, guard, jobs, auth, audit));
              return vertx
                  .createHttpServer(
                      PeerTlsOptions.server(
                          options,
                          new RateLimitedLog(
                              vertx,
                              PeerTlsOptions.LOG,
                              System.Logger.Level.INFO,
                              "refused handshakes")))
                  .connectionHandler(PeerTlsOptions::wrapWholeRecords)
                  .requestHandler(router::handle)
                  .listen();
            })
        .onSuccess(
            bound -> {
              guard.listeningOn(bound.actualPort());
              server = bound;
            });
  }

  @Override
  public Future<?> stop() {
    if (jobs != null) {
      jobs.clear();
    }
    HttpServer listener = server;
    Future<Void> closed = listener == null ? Future.succeededFuture() : listener.close();
    return closed
        .eventually(() -> originClient.close())
        .eventually(() -> guard == null ? Future.succeededFuture() : guard.close())
        .eventually(
            () ->
                audit == null
                    ? Future.succeededFuture()
                    : vertx.executeBlocking(
                        () -> {
                          audit.close();
                          return null;
                        },
                        false));
  }

  @Override
  public int port() {
    HttpServer listener = server;
    return listener == null ? -1 : listener.actualPort();
  }

  @Override
  public void updateSharing(boolean enabled, double maxRateMbps, int maxConcurrentJobs) {
    if (!(maxRateMbps > 0) || Double.isInfinite(maxRateMbps) || maxConcurrentJobs < 1) {
      throw new IllegalArgumentException(
          "need maxRateMbps > 0 and maxConcurrentJobs >= 1: "
              + maxRateMbps
              + ", "
              + maxConcurrentJobs);
    }
    context.runOnContext(v -> sharing.update(enabled, maxRateMbps, maxConcurrentJobs));
  }

  @Override
  public void updateTrusted(Set<PeerId> trusted) {
    options.trustedPeers().replace(trusted);
  }

  @Override
  public void limitRate(long bytesPerSecond) {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("a rate limit must be positive: " + bytesPerSecond);
    }
    context.runOnContext(v -> sharing.limit(bytesPerSecond));
  }

  @Override
  public Future<Void> close() {
    String id = deploymentId.getAndSet(null);
    return id == null ? Future.succeededFuture() : vertx.undeploy(id);
  }
}
