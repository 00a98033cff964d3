package io.bamqp.proxy.aggregation;

import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One extra own line at run time: its HTTP client bound to the line's address, whether it is down
 * (and when it is tried again, with a backoff that doubles up to {@link #MAX_BACKOFF_MILLIS}), and
 * what a metered line used this month.
 *
 * <p>Thread-safe without locks: sessions on any event loop report to it through atomics.
 */
final class OwnLine {
  /** How long a line that failed waits before a download tries it again; doubles per failure. */
  static final long FIRST_BACKOFF_MILLIS = 1_000;

  /** The longest wait between tries of a line that keeps failing. */
  static final long MAX_BACKOFF_MILLIS = 60_000;

  private static final Logger LOG = System.getLogger("io.bamqp.lines");

  private final WanLine config;
  private final HttpClient client;
  private final LongSupplier nanoClock;
  private final AtomicLong used;
  private final AtomicInteger failuresInRow = new AtomicInteger();
  private final AtomicLong retryAtNanos;

  OwnLine(WanLine config, HttpClient client, long usedThisMonth, LongSupplier nanoClock) {
    this.config = config;
    this.client = client;
    this.used = new AtomicLong(usedThisMonth);
    this.nanoClock = nanoClock;
    this.retryAtNanos = new AtomicLong(nanoClock.getAsLong());
  }

  WanLine config() {
    return config;
  }

  String name() {
    return config.name();
  }

  HttpClient client() {
    return client;
  }

  /** A source of {@code download}'s ranges over this line, copying the origin request. */
  ByteSource source(RequestOptions request, Eligibility.Download download) {
    return new HomeLine(client, request, download, config.name());
  }

  /** Whether a download of {@code bytes} may use it now: up (or due a retry), and within caps. */
  boolean usableFor(long bytes) {
    return mayTry() && !exhausted() && (!config.metered() || bytes >= config.minBytes());
  }

  /**
   * How long a line of this home waits after its {@code failures}-th failure in a row before it is
   * tried again: {@link #FIRST_BACKOFF_MILLIS}, doubling up to {@link #MAX_BACKOFF_MILLIS}. The
   * home line waits as long before it rejoins a download it stalled in.
   */
  static long backoffMillis(int failures) {
    return Math.min(
        MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(Math.max(failures, 1) - 1, 16));
  }

  /** Not waiting out a backoff after a failure. */
  boolean mayTry() {
    return nanoClock.getAsLong() - retryAtNanos.get() >= 0;
  }

  /** A metered line that reached its monthly cap. */
  boolean exhausted() {
    return config.metered()
        && config.monthlyCapBytes() != WanLine.NO_CAP
        && used.get() >= config.monthlyCapBytes();
  }

  /**
   * It failed a range (connects refused, its address gone, a stall): no download tries it again
   * before the backoff has passed.
   */
  void failed(String why) {
    int failures = failuresInRow.incrementAndGet();
    long backoff = backoffMillis(failures);
    retryAtNanos.set(nanoClock.getAsLong() + backoff * 1_000_000);
    if (failures == 1) {
      LOG.log(
          Level.INFO,
          "line {0} is down ({1}); trying it again in {2} ms",
          name(),
          why,
          String.valueOf(backoff));
    } else {
      LOG.log(
          Level.DEBUG,
          "line {0} failed again ({1}); next try in {2} ms",
          name(),
          why,
          String.valueOf(backoff));
    }
  }

  /** It delivered {@code bytes}: it works (again), and a metered line counts them. */
  void delivered(long bytes) {
    if (config.metered()) {
      used.addAndGet(bytes);
    }
    if (failuresInRow.get() > 0 && failuresInRow.getAndSet(0) > 0) {
      retryAtNanos.set(nanoClock.getAsLong());
      LOG.log(Level.INFO, "line {0} works again", name());
    }
  }

  /** What it used this month (metered lines). */
  long used() {
    return used.get();
  }

  /** A new month began: the count starts again. */
  void newMonth() {
    used.set(0);
  }

  LineStatus status() {
    long wait = (retryAtNanos.get() - nanoClock.getAsLong()) / 1_000_000;
    String state = exhausted() ? "capped" : wait > 0 ? "down" : "up";
    return new LineStatus(
        name(),
        config.bindAddress(),
        false,
        config.metered(),
        used.get(),
        config.monthlyCapBytes(),
        state,
        Math.max(0, wait));
  }
}
