package io.bamqp.proxy.aggregation;

import io.bamqp.planner.PlannerConfig;
import io.bamqp.proxy.aggregation.Eligibility.Download;
import io.bamqp.proxy.aggregation.Eligibility.Verdict;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The proxy's door to aggregation: judges each response head and turns an eligible download into a
 * {@link DownloadSession} across the home line and the neighbors.
 */
public final class Aggregator {
  private static final Logger LOG = System.getLogger("io.bamqp.session");

  private final Vertx vertx;
  private final AggregationOptions settings;
  private final Neighbors neighbors;
  private final ArrayDeque<SessionReport> recent = new ArrayDeque<>();
  private final BufferBudget budget;
  private final DownloadBoard board;
  private volatile OwnLines lines;
  private final SlotScheduler slots;

  /** Why a large download through a {@code CONNECT} tunnel was not aggregated. */
  public static final String TUNNEL_REASON =
      "HTTPS tunnel: not accelerated (use the extension or /fetch)";

  /** Finished downloads remembered for {@link #recentDownloads()}. */
  public static final int RECENT_DOWNLOADS = 32;

  /** An aggregator with these settings, offering jobs to whichever neighbors are usable. */
  public Aggregator(Vertx vertx, AggregationOptions settings, Neighbors neighbors) {
    this.vertx = vertx;
    this.settings = settings;
    this.neighbors = neighbors;
    this.budget =
        new BufferBudget(
            settings.totalBufferBytes(),
            Math.min(BufferBudget.MINIMUM_WINDOW_BYTES, settings.bufferBytes()));
    this.board = new DownloadBoard(budget);
    this.slots = new SlotScheduler(vertx, neighbors, settings.lineBytesPerSecond());
    board.slotsFrom(this::slotsInUse);
    overLines(OwnLines.single(WanLine.unmetered("wan", "0.0.0.0", settings.lineBytesPerSecond())));
  }

  /**
   * Aggregates over these own lines too ({@code wan.lines}): each extra line is a source of every
   * eligible download, beside the neighbors, and a download may be split across them with no
   * neighbor at all. Set before the proxy starts; it calls {@link OwnLines#connect}.
   */
  public Aggregator overLines(OwnLines own) {
    this.lines = own;
    board.showing(own::status);
    return this;
  }

  /** The node's own lines. */
  public OwnLines lines() {
    return lines;
  }

  /**
   * The node-wide picture of its neighbors' job slots: downloads running, slots held and served,
   * downloads waiting for a slot. Thread-safe.
   */
  public SlotsInUse slotsInUse() {
    SlotScheduler.Picture p = slots.picture();
    return new SlotsInUse(
        p.downloads(), p.slotsHeld(), p.slotsServed(), p.waiting(), p.heldByLine());
  }

  /** The node's buffer budget, shared by every aggregated download, for the statistics page. */
  public BufferBudget budget() {
    return budget;
  }

  /** The large downloads running now and a notice as each ends, for the statistics page. */
  public DownloadBoard downloads() {
    return board;
  }

  /**
   * A response that was not aggregated has streamed through: large ones (at least {@code
   * aggregation.minBytes} declared or sent) go to the history with the verdict's reason.
   *
   * @param declaredBytes its {@code Content-Length}, or -1
   * @param complete whether it reached its end
   */
  public void streamedThrough(
      HttpMethod method,
      int status,
      String urlForLog,
      String reason,
      long declaredBytes,
      long sentBytes,
      long nanos,
      boolean complete) {
    long minBytes = settings.minBytes();
    boolean large = declaredBytes >= minBytes || sentBytes >= minBytes;
    if (method != HttpMethod.GET || status / 100 != 2 || !large) {
      return;
    }
    long millis = nanos / 1_000_000;
    board.ended(
        DownloadSnapshot.notAggregated(
            UUID.randomUUID().toString(),
            UrlLabel.of(urlForLog),
            serviceOf(urlForLog),
            System.currentTimeMillis() - millis,
            millis,
            declaredBytes >= 0 ? declaredBytes : sentBytes,
            sentBytes,
            settings.lineBytesPerSecond(),
            reason,
            complete));
  }

  /**
   * A {@code CONNECT} tunnel has closed. One that brought the client at least {@code
   * aggregation.minBytes} goes to the history as not aggregated, named by its {@code host:port}
   * only, with {@link #TUNNEL_REASON}: the user learns that the download was not accelerated, and
   * how it could have been.
   *
   * @param authority the tunnel's target, {@code host:port}
   * @param bytesToClient what the target sent the client through the tunnel
   */
  public void tunnelled(String authority, long bytesToClient, long nanos) {
    if (bytesToClient < settings.minBytes()) {
      return;
    }
    long millis = nanos / 1_000_000;
    board.ended(
        DownloadSnapshot.notAggregated(
            UUID.randomUUID().toString(),
            authority,
            serviceOf(authority),
            System.currentTimeMillis() - millis,
            millis,
            bytesToClient,
            bytesToClient,
            settings.lineBytesPerSecond(),
            TUNNEL_REASON,
            true));
  }

  /**
   * Judges an exchange: aggregate it, or let it stream through (with the reason).
   *
   * @param host the origin's host name, matched against {@code aggregation.credentialedDomains}
   * @param pathAndQuery the request's path and query, searched for signed-URL credentials
   */
  public Verdict judge(
      HttpMethod method,
      String host,
      String pathAndQuery,
      MultiMap requestHeaders,
      int status,
      MultiMap responseHeaders) {
    return judge(method, host, pathAndQuery, null, requestHeaders, status, responseHeaders);
  }

  /**
   * Judges an exchange whose URL the proxy may have reached by following redirects. A signed URL
   * the proxy was sent to by an origin, from a request that carried no credential at all (no {@code
   * Cookie}, no {@code Authorization}, no signed-URL query in the URL the user gave), is not the
   * household's secret: the origin hands it to anyone who asks, so it may be split across
   * neighbors. A signed URL the user brought, or one reached with a cookie, stays home unless its
   * domain is in {@code aggregation.credentialedDomains}.
   *
   * @param host the origin's host name (of the URL judged), matched against {@code
   *     aggregation.credentialedDomains}
   * @param pathAndQuery the path and query of the URL judged, searched for signed-URL credentials
   * @param redirectedFrom the path and query of the URL the user gave, when the proxy reached this
   *     one by following redirects; null when it is the user's own
   * @param requestHeaders the headers the user's request carried
   */
  public Verdict judge(
      HttpMethod method,
      String host,
      String pathAndQuery,
      String redirectedFrom,
      MultiMap requestHeaders,
      int status,
      MultiMap responseHeaders) {
    if (!settings.enabled()) {
      return Verdict.no("aggregation is off");
    }
    boolean alone = neighbors.usable().isEmpty();
    if (alone && !lines.any()) {
      return Verdict.no("no trusted neighbor is online");
    }
    String credential = Credentials.carried(requestHeaders, pathAndQuery);
    boolean obtainedByRedirect =
        redirectedFrom != null && Credentials.carried(requestHeaders, redirectedFrom) == null;
    if (credential != null
        && !obtainedByRedirect
        && !Credentials.listed(host, settings.credentialedDomains())) {
      return Verdict.no(credential + " and its domain is not in aggregation.credentialedDomains");
    }
    Verdict verdict =
        Eligibility.judge(method, requestHeaders, status, responseHeaders, settings.minBytes());
    if (!verdict.eligible()) {
      return verdict;
    }
    if (alone && lines.usableFor(verdict.download().range().length()).isEmpty()) {
      return Verdict.no("no trusted neighbor is online and no other own line is usable now");
    }
    BufferBudget.Window window = budget.reserve(settings.bufferBytes());
    return window == null ? Verdict.no(budget.exhausted()) : verdict.holding(window);
  }

  /**
   * Runs an eligible download. The client's response head must be set (status, headers, {@code
   * Content-Length}); {@code origin} is the paused response already flowing, the first source. The
   * verdict's window of the buffer budget bounds how far ahead sources fetch and is released once
   * the download ends, however it ends.
   *
   * @param request the origin request it answered, copied for the home line's Range requests
   * @param rttNanos how long the origin took to answer it
   * @return the client's byte count once it has every byte; a failure once abandoned
   */
  public Future<Long> run(
      Verdict verdict,
      HttpServerResponse client,
      HttpClientResponse origin,
      HttpClient originClient,
      RequestOptions request,
      long rttNanos,
      String url,
      String urlForLog) {
    Download download = verdict.download();
    BufferBudget.Window window =
        verdict.window() != null ? verdict.window() : budget.reserve(settings.bufferBytes());
    if (window == null) {
      return Future.failedFuture(budget.exhausted());
    }
    try {
      return run(download, window, client, origin, originClient, request, rttNanos, url, urlForLog)
          .onComplete(done -> window.release());
    } catch (RuntimeException e) {
      window.release();
      throw e;
    }
  }

  private Future<Long> run(
      Download download,
      BufferBudget.Window window,
      HttpServerResponse client,
      HttpClientResponse origin,
      HttpClient originClient,
      RequestOptions request,
      long rttNanos,
      String url,
      String urlForLog) {
    PlannerConfig limits =
        PlannerConfig.forFile(download.range().length())
            .withBufferBytes(window.bytes())
            .withStallTimeoutNanos(settings.stallTimeout().toNanos());
    List<Neighbor> team = neighbors.usable();
    Future<Metalink> metalink =
        settings.sidecarDigests() && !download.partial()
            ? MetalinkLookup.fetch(
                originClient, request, origin.headers(), download.range().length())
            : Future.succeededFuture();
    DownloadSession session =
        new DownloadSession(
                vertx,
                download,
                client,
                StreamFlow.of(origin, download.range().length()),
                new HomeLine(originClient, request, download),
                settings.lineBytesPerSecond(),
                rttNanos,
                limits)
            .sharing(window)
            .scheduledBy(slots)
            .verifying(digestFor(origin.headers(), download, originClient, request, metalink))
            .spotChecking(settings.spotCheckRatio())
            .checkingPieces(metalink.map(found -> found == null ? null : found.pieces()))
            .overLines(lineSources(request, download));
    LiveDownload live =
        session.stats().describe(UrlLabel.of(urlForLog), serviceOf(urlForLog), team.size());
    board.started(live);
    LOG.log(
        Level.INFO,
        "download {0}: {1} MiB across the home line, {3} other own lines and up to {2} neighbors",
        urlForLog,
        String.format(Locale.ROOT, "%.1f", download.range().length() / 1048576.0),
        team.size(),
        lines.usableFor(download.range().length()).size());
    return session
        .start(team, url)
        .onSuccess(
            report -> {
              remember(report);
              neighbors.measured(report);
              LOG.log(Level.DEBUG, "download {0}: {1}", urlForLog, describe(report));
            })
        .onFailure(
            failure ->
                LOG.log(
                    Level.DEBUG, "download {0} abandoned: {1}", urlForLog, failure.getMessage()))
        .onComplete(
            done ->
                board.ended(
                    live.ended(
                        System.nanoTime(),
                        session.written(),
                        done.failed() ? done.cause().getMessage() : null)))
        .map(SessionReport::bytes);
  }

  /** Every extra line, each over its own client; the session joins those usable as it runs. */
  private Map<OwnLine, ByteSource> lineSources(RequestOptions request, Download download) {
    Map<OwnLine, ByteSource> sources = new LinkedHashMap<>();
    for (OwnLine line : lines.all()) {
      sources.put(line, line.source(request, download));
    }
    return sources;
  }

  private synchronized void remember(SessionReport report) {
    if (recent.size() == RECENT_DOWNLOADS) {
      recent.removeFirst();
    }
    recent.addLast(report);
  }

  /**
   * The last {@value #RECENT_DOWNLOADS} aggregated downloads that completed, oldest first. Read
   * from any thread (the demo, tests), hence the lock; it is taken once per download.
   */
  public synchronized List<SessionReport> recentDownloads() {
    return List.copyOf(recent);
  }

  /**
   * The origin's digest of the file: its {@code Repr-Digest} or {@code Digest} header, else (with
   * {@code aggregation.sidecarDigests}) the SHA-256 it publishes beside the file, which is fetched
   * while the body flows: its Metalink's, else {@code FILE.sha256} or {@code SHA256SUMS}. Null when
   * there is nothing to check against.
   */
  private ReprDigest digestFor(
      MultiMap headers,
      Download download,
      HttpClient originClient,
      RequestOptions request,
      Future<Metalink> metalink) {
    ReprDigest announced = ReprDigest.of(headers, download);
    if (announced != null || download.partial() || !settings.sidecarDigests()) {
      return announced;
    }
    return ReprDigest.publishedBy(
        metalink.compose(
            found ->
                found != null && found.sha256() != null
                    ? Future.succeededFuture(new ReprDigest.Published("Metalink", found.sha256()))
                    : Sidecar.fetch(originClient, request)
                        .map(
                            sha256 ->
                                sha256 == null
                                    ? null
                                    : new ReprDigest.Published("published SHA-256 file", sha256))));
  }

  /** The CDN service of the download's host ({@code host[:port]/path...}), or null. */
  private String serviceOf(String urlForLog) {
    return settings.cdnDomains().serviceOf(UrlLabel.host(urlForLog)).orElse(null);
  }

  private static String describe(SessionReport report) {
    String sources =
        report.bytesBySource().entrySet().stream()
            .map(
                e ->
                    e.getKey()
                        + " "
                        + String.format(Locale.ROOT, "%.1f MiB", e.getValue() / 1048576.0))
            .collect(Collectors.joining(", "));
    return String.format(
        Locale.ROOT,
        "%.1f MiB in %.2f s (%.0f Mbit/s); %s; hedged %d B, re-fetched %d B",
        report.bytes() / 1048576.0,
        report.nanos() / 1e9,
        report.bitsPerSecond() / 1e6,
        sources,
        report.hedgedBytes(),
        report.replannedBytes());
  }
}
