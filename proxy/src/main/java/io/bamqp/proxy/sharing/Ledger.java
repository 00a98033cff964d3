package io.bamqp.proxy.sharing;

import io.bamqp.security.PeerId;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per peer, the bytes this node gave (as a helper) and received (as home): in all, this month and,
 * for giving, today. Kept in {@code state.dir/ledger.json}: loaded at open, written every {@link
 * #DEFAULT_SAVE_INTERVAL} when it changed and on {@link #close()}, off the event loop.
 *
 * <p>{@link #given} and {@link #received} are called on the helper's and the sessions' event loops,
 * once per chunk: each is one {@link LongAdder} add. Every {@link #FOLD_INTERVAL} the ledger's own
 * context folds them into its book (rolling months and days by its clock) and publishes a {@link
 * LedgerSnapshot}; so a snapshot is at most that old, and bytes are dated to within that interval.
 */
public final class Ledger implements SharingUsage {
  /** The ledger is written at most this often: once a minute. */
  public static final Duration DEFAULT_SAVE_INTERVAL = Duration.ofMinutes(1);

  /** Counted bytes reach the book and the snapshot every second. */
  public static final Duration FOLD_INTERVAL = Duration.ofSeconds(1);

  private static final Logger LOG = System.getLogger("io.bamqp.sharing");

  private final Vertx vertx;
  private final Context context;
  private final LedgerFile file;
  private final Clock clock;
  private final long saveEveryFolds;
  private final Map<String, LongAdder[]> pending = new ConcurrentHashMap<>();
  private final LedgerBook book;
  private volatile LedgerSnapshot published;
  private long timer;
  private long foldsSinceSave;
  private boolean dirty;
  private boolean closed;

  private Ledger(
      Vertx vertx, Context context, LedgerFile file, Clock clock, Duration save, LedgerSnapshot s) {
    this.vertx = vertx;
    this.context = context;
    this.file = file;
    this.clock = clock;
    this.saveEveryFolds = Math.max(1, save.toMillis() / FOLD_INTERVAL.toMillis());
    this.book = new LedgerBook(s);
    book.rollTo(LocalDate.now(clock));
    this.published = book.snapshot();
  }

  /** Opens {@code stateDir/ledger.json} (creating it on first save) on the system clock. */
  public static Future<Ledger> open(Vertx vertx, Path stateDir) {
    return open(vertx, stateDir, Clock.systemDefaultZone(), DEFAULT_SAVE_INTERVAL);
  }

  /** Opens the ledger with its own clock (its zone dates months and days) and save interval. */
  public static Future<Ledger> open(Vertx vertx, Path stateDir, Clock clock, Duration save) {
    Objects.requireNonNull(clock, "clock");
    Context context = vertx.getOrCreateContext();
    LedgerFile file = new LedgerFile(stateDir);
    Promise<Ledger> opened = Promise.promise();
    context.runOnContext(
        v ->
            vertx
                .executeBlocking(() -> file.read(LocalDate.now(clock)), false)
                .map(
                    saved -> {
                      Ledger ledger = new Ledger(vertx, context, file, clock, save, saved);
                      ledger.timer =
                          vertx.setPeriodic(FOLD_INTERVAL.toMillis(), id -> ledger.fold());
                      return ledger;
                    })
                .onComplete(opened));
    return opened.future();
  }

  /** The account name of {@code peer}: its ID. */
  public static String key(PeerId peer) {
    return peer.toString();
  }

  /** {@code bytes} more given to {@code peer}: the helper's {@code BytesGivenListener}. */
  public void given(PeerId peer, long bytes) {
    adders(key(peer))[0].add(bytes);
  }

  /** {@code bytes} more received from neighbor {@code peer} (its ID) by a download at home. */
  public void received(String peer, long bytes) {
    adders(Objects.requireNonNull(peer, "peer"))[1].add(bytes);
  }

  /** The ledger as of its last fold (at most {@link #FOLD_INTERVAL} ago). */
  public LedgerSnapshot snapshot() {
    return published;
  }

  @Override
  public long givenThisMonth() {
    long sum = published.totals().givenThisMonth();
    for (LongAdder[] adders : pending.values()) {
      sum += adders[0].sum();
    }
    return sum;
  }

  @Override
  public long givenThisMonth(String peer) {
    LongAdder[] adders = pending.get(peer);
    long waiting = adders == null ? 0 : adders[0].sum();
    return published.balance(peer).givenThisMonth() + waiting;
  }

  /** Folds what was counted and writes the file now; completes once it is on disk. */
  public Future<Void> save() {
    Promise<Void> saved = Promise.promise();
    context.runOnContext(v -> foldAndWrite().onComplete(saved));
    return saved.future();
  }

  /** Stops the timer and writes the ledger a last time. */
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          if (closed) {
            done.complete();
            return;
          }
          closed = true;
          vertx.cancelTimer(timer);
          foldAndWrite().onComplete(done);
        });
    return done.future();
  }

  private LongAdder[] adders(String peer) {
    LongAdder[] adders = pending.get(peer);
    if (adders == null) {
      adders =
          pending.computeIfAbsent(peer, p -> new LongAdder[] {new LongAdder(), new LongAdder()});
    }
    return adders;
  }

  // On the ledger's context only, like every field below the published snapshot.
  private void fold() {
    foldCounts();
    if (++foldsSinceSave >= saveEveryFolds && dirty) {
      write();
    }
  }

  private void foldCounts() {
    book.rollTo(LocalDate.now(clock));
    pending.forEach(
        (peer, adders) -> {
          long given = adders[0].sumThenReset();
          long received = adders[1].sumThenReset();
          if (given != 0 || received != 0) {
            book.add(peer, given, received);
            dirty = true;
          }
        });
    published = book.snapshot();
  }

  private Future<Void> foldAndWrite() {
    foldCounts();
    return write();
  }

  private Future<Void> write() {
    foldsSinceSave = 0;
    dirty = false;
    byte[] bytes = LedgerFile.encode(published);
    // Ordered: writes of one context run one after the other, so the newest file wins.
    return vertx
        .<Void>executeBlocking(
            () -> {
              file.write(bytes);
              return null;
            },
            true)
        .onFailure(
            cause -> {
              dirty = true;
              LOG.log(Level.WARNING, "cannot write {0}: {1}", file.path(), cause.getMessage());
            });
  }
}
