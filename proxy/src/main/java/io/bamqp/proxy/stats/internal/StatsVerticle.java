package io.bamqp.proxy.stats.internal;

import io.bamqp.proxy.aggregation.BufferBudget;
import io.bamqp.proxy.aggregation.DownloadBoard;
import io.bamqp.proxy.aggregation.DownloadSnapshot;
import io.bamqp.proxy.aggregation.LineStatus;
import io.bamqp.proxy.aggregation.SlotsInUse;
import io.bamqp.proxy.stats.PeerView;
import io.bamqp.proxy.stats.StatsOptions;
import io.bamqp.proxy.stats.StatsSources;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The statistics server: its HTTP server, its memory of downloads and the history file, all on this
 * verticle's event loop. Downloads end on other loops; their final snapshots reach this one through
 * a concurrent inbox, drained before every read (see {@link #live()}).
 */
public final class StatsVerticle extends VerticleBase {
  /** How often pages following {@code /api/events} get an update. */
  static final long EVENT_MILLIS = 1000;

  private static final System.Logger LOG = System.getLogger("io.bamqp.stats");

  private final StatsOptions options;
  private final DownloadBoard board;
  private final StatsSources sources;
  private final DownloadRecords records;
  private final HistoryFile historyFile;
  private final Queue<DownloadSnapshot> inbox = new ConcurrentLinkedQueue<>();
  private final EventStream events = new EventStream();
  private final AtomicBoolean warnedAboutHistory = new AtomicBoolean();
  private final long startedAtMillis = System.currentTimeMillis();
  private Runnable stopListening = () -> {};
  private HttpServer server;
  private long timer = -1;

  public StatsVerticle(StatsOptions options, DownloadBoard board, StatsSources sources) {
    this.options = options;
    this.board = board;
    this.sources = sources;
    this.records = new DownloadRecords(options.historySize());
    this.historyFile = new HistoryFile(options.stateDir(), options.historySize());
  }

  /** The bound port, once started. */
  public int port() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    stopListening =
        board.onEnded(
            download -> {
              inbox.add(download);
              context.runOnContext(drained -> drain());
            });
    return vertx
        .executeBlocking(() -> new Loaded(loadHistory(), PageAssets.load()), false)
        .compose(
            loaded -> {
              records.restore(loaded.history());
              server =
                  vertx.createHttpServer(
                      new HttpServerOptions()
                          .setHost(options.listenHost())
                          .setPort(options.listenPort())
                          .setCompressionSupported(true));
              server.requestHandler(new StatsApi(vertx, this, loaded.assets()).router());
              return server.listen();
            })
        .recover(
            failure ->
                Future.failedFuture(
                    new IllegalStateException(
                        "statistics page cannot listen on stats.listen "
                            + options.listen()
                            + ": "
                            + failure.getMessage(),
                        failure)))
        .onSuccess(listening -> timer = vertx.setPeriodic(EVENT_MILLIS, tick -> publish()));
  }

  @Override
  public Future<?> stop() {
    stopListening.run();
    vertx.cancelTimer(timer);
    events.close();
    drain();
    return server == null ? Future.succeededFuture() : server.close();
  }

  private record Loaded(List<DownloadSnapshot> history, PageAssets assets) {}

  private List<DownloadSnapshot> loadHistory() {
    try {
      return historyFile.load();
    } catch (RuntimeException unreadable) {
      LOG.log(
          System.Logger.Level.WARNING,
          "download history starts empty: {0}",
          unreadable.getMessage());
      return List.of();
    }
  }

  /** Counts and persists the downloads that ended since the last drain. */
  private void drain() {
    for (DownloadSnapshot ended = inbox.poll(); ended != null; ended = inbox.poll()) {
      DownloadSnapshot download = ended;
      records.ended(download);
      vertx
          .executeBlocking(
              () -> {
                historyFile.append(download);
                return null;
              },
              true)
          .onFailure(
              failure -> {
                if (warnedAboutHistory.compareAndSet(false, true)) {
                  LOG.log(
                      System.Logger.Level.WARNING,
                      "download history is not saved: {0}",
                      failure.getMessage());
                }
              });
    }
  }

  private void publish() {
    if (events.followers() > 0) {
      events.publish("update", Json.encode(update()));
    }
  }

  EventStream events() {
    return events;
  }

  StatsSources sources() {
    return sources;
  }

  StatsOptions options() {
    return options;
  }

  /**
   * The downloads running now. The board is read before the inbox is drained: a download that ends
   * in between is then either still in the board's list or already counted, never neither.
   */
  /** The node's own lines with their state and use ({@code wan.lines}). */
  List<LineStatus> lines() {
    return board.lines();
  }

  /** The reorder memory the downloads share. */
  BufferBudget budget() {
    return board.budget();
  }

  List<DownloadSnapshot> live() {
    List<DownloadSnapshot> live = board.live();
    drain();
    return records.stillLive(live);
  }

  DownloadRecords records() {
    return records;
  }

  List<PeerView> peers() {
    return sources.peers().peers();
  }

  /** What {@code /api/events} sends: live downloads, totals and the history's version. */
  Map<String, Object> update() {
    List<DownloadSnapshot> live = live();
    Map<String, Object> update = new LinkedHashMap<>();
    update.put("live", live);
    update.put("stats", totals(live));
    update.put("lines", lines());
    return update;
  }

  /** What {@code /api/stats} answers. */
  Map<String, Object> totals(List<DownloadSnapshot> live) {
    Map<String, Long> bySource = records.bytesBySource(live);
    long home = bySource.getOrDefault("home", 0L);
    long ownLines =
        board.lines().stream()
            .filter(line -> !line.primary())
            .mapToLong(line -> bySource.getOrDefault(line.name(), 0L))
            .sum();
    long peers = bySource.values().stream().mapToLong(Long::longValue).sum() - home - ownLines;
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put("startedAtMillis", startedAtMillis);
    totals.put("uptimeSeconds", (System.currentTimeMillis() - startedAtMillis) / 1000);
    totals.put("activeDownloads", live.size());
    totals.put("bufferBytes", bufferBytes(live));
    totals.put("bufferLimitBytesPerDownload", options.bufferBytesPerDownload());
    totals.put("bufferBudgetBytes", board.budget().totalBytes());
    totals.put("bufferReservedBytes", board.budget().reservedBytes());
    totals.put("lineBytesPerSecond", options.lineBytesPerSecond());
    SlotsInUse slots = board.slots();
    totals.put("neighborSlotsInUse", slots.slotsHeld());
    totals.put("neighborSlots", slots.slotsServed());
    totals.put("downloadsWaitingForSlot", slots.waiting());
    totals.put("neighborSlotsByPeer", slots.heldByLine());
    totals.put("proxyHost", options.proxyHost());
    totals.put("proxyPort", options.proxyPort());
    Map<String, Long> byKind = new LinkedHashMap<>();
    byKind.put("home", home);
    byKind.put("peers", peers);
    byKind.put("lines", ownLines);
    totals.put("bytesByKind", byKind);
    totals.put("bytesBySource", bySource);
    totals.put("downloads", records.outcomes());
    totals.put("historyVersion", records.version());
    return totals;
  }

  static long bufferBytes(List<DownloadSnapshot> live) {
    return live.stream().mapToLong(DownloadSnapshot::bufferedBytes).sum();
  }
}
