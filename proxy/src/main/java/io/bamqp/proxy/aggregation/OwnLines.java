package io.bamqp.proxy.aggregation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's own Internet lines ({@code wan.lines}, or the one-line shorthand {@code
 * wan.bindAddress}): the primary line, which the proxy's own origin client binds and over which
 * every download's first response flows, and the extra lines, each a source of its own for
 * aggregated downloads with its own HTTP client bound to its own address. What metered lines carry
 * is counted per month in {@code state.dir/lines.json}.
 *
 * <p>Thread-safe: the clients are made once ({@link #connect}) before the proxy serves; each line's
 * state is atomic; the month's count is saved from a Vert.x timer.
 */
public final class OwnLines {
  /** How often what metered lines carried is saved, when it changed. */
  static final long SAVE_MILLIS = 30_000;

  private static final System.Logger LOG = System.getLogger("io.bamqp.lines");

  private final Vertx vertx;
  private final WanLine primary;
  private final List<WanLine> extra;
  private final LineUsageFile file;
  private final Map<String, Long> usedAtStart;
  private volatile List<OwnLine> lines = List.of();
  private YearMonth month;
  private Map<String, Long> saved;
  private long timer = -1;

  private OwnLines(
      Vertx vertx, List<WanLine> all, Path stateDir, YearMonth month, Map<String, Long> used) {
    this.vertx = vertx;
    this.primary = all.get(0);
    this.extra = List.copyOf(all.subList(1, all.size()));
    this.file = stateDir == null ? null : new LineUsageFile(stateDir);
    this.month = month;
    this.usedAtStart = used;
    this.saved = used;
  }

  /** One line, the primary: nothing to add to downloads. */
  public static OwnLines single(WanLine primary) {
    return new OwnLines(null, List.of(primary), null, YearMonth.now(), Map.of());
  }

  /**
   * The lines, the first one primary, with this month's use of the metered ones read from {@code
   * stateDir} (off the event loop).
   */
  public static Future<OwnLines> open(Vertx vertx, List<WanLine> lines, Path stateDir) {
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("at least the primary line");
    }
    YearMonth month = YearMonth.now();
    return vertx
        .executeBlocking(() -> new LineUsageFile(stateDir).read(month), false)
        .map(used -> new OwnLines(vertx, lines, stateDir, month, used));
  }

  /**
   * Makes each extra line's HTTP client: the proxy's origin client options ({@code origin}: TLS
   * trust, timeouts, limits) with the line's source address. Called once, by the proxy, before it
   * serves.
   */
  public void connect(HttpClientOptions origin, PoolOptions pool) {
    if (extra.isEmpty() || !lines.isEmpty()) {
      return;
    }
    List<OwnLine> made = new ArrayList<>();
    for (WanLine line : extra) {
      HttpClient client =
          vertx.createHttpClient(
              new HttpClientOptions(origin)
                  .setName("bamqp-line-" + line.name())
                  .setLocalAddress(line.bindAddress()),
              pool);
      made.add(
          new OwnLine(line, client, usedAtStart.getOrDefault(line.name(), 0L), System::nanoTime));
    }
    lines = List.copyOf(made);
    if (made.stream().anyMatch(line -> line.config().metered())) {
      timer = vertx.setPeriodic(SAVE_MILLIS, tick -> save());
    }
  }

  /** Whether there is any extra line at all. */
  public boolean any() {
    return !lines.isEmpty();
  }

  /** The extra lines a download of {@code bytes} may use now. */
  List<OwnLine> usableFor(long bytes) {
    return lines.stream().filter(line -> line.usableFor(bytes)).toList();
  }

  /** Every extra line, up or down. */
  List<OwnLine> all() {
    return lines;
  }

  /** Every line, the primary first, for the page. */
  public List<LineStatus> status() {
    List<LineStatus> all = new ArrayList<>();
    all.add(
        new LineStatus(
            primary.name(), primary.bindAddress(), true, false, 0, WanLine.NO_CAP, "up", 0));
    lines.forEach(line -> all.add(line.status()));
    return all;
  }

  /** Saves the month's count if it changed, starting a new month's when one began. */
  private Future<Void> save() {
    YearMonth now = YearMonth.now();
    if (!now.equals(month)) {
      month = now;
      lines.forEach(OwnLine::newMonth);
    }
    Map<String, Long> used = new LinkedHashMap<>();
    lines.stream()
        .filter(line -> line.config().metered())
        .forEach(line -> used.put(line.name(), line.used()));
    if (used.equals(saved) || file == null) {
      return Future.succeededFuture();
    }
    YearMonth of = month;
    return vertx
        .executeBlocking(
            () -> {
              file.write(of, used);
              return null;
            },
            true)
        .onSuccess(done -> saved = used)
        .onFailure(
            failure ->
                LOG.log(
                    System.Logger.Level.WARNING,
                    "could not save what metered lines used: {0}",
                    failure.toString()))
        .mapEmpty();
  }

  /** Saves the count and closes the lines' clients. */
  public Future<Void> close() {
    if (vertx == null || lines.isEmpty()) {
      return Future.succeededFuture();
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    List<Future<?>> closing = new ArrayList<>();
    closing.add(save().recover(failure -> Future.succeededFuture()));
    lines.forEach(line -> closing.add(line.client().close()));
    return Future.join(closing).mapEmpty();
  }
}
