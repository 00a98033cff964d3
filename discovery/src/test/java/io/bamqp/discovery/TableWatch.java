package io.bamqp.discovery;

import static org.assertj.core.api.Assertions.fail;

import io.bamqp.security.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Waits on a peer table's events for a condition, with a deadline: no polling, no sleeping. Also
 * keeps every event for later assertions.
 */
final class TableWatch implements AutoCloseable {
  /** Generous: an mDNS announcement takes about 4 s, and the machine may be busy. */
  static final Duration DEADLINE = Duration.ofSeconds(15);

  private record Waiter(Predicate<PeerTable> condition, CompletableFuture<Void> met) {}

  private final PeerTable table;
  private final List<PeerEvent> events = new CopyOnWriteArrayList<>();
  private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
  private final Consumer<PeerEvent> listener = this::onEvent;

  TableWatch(PeerTable table) {
    this.table = table;
    table.addListener(listener);
  }

  /** Waits until the table satisfies {@code condition}. */
  void await(String what, Predicate<PeerTable> condition) throws InterruptedException {
    Waiter waiter = new Waiter(condition, new CompletableFuture<>());
    waiters.add(waiter);
    check(waiter);
    try {
      waiter.met().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      fail("not within %s s: %s; the table: %s", DEADLINE.toSeconds(), what, table.snapshot());
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    } finally {
      waiters.remove(waiter);
    }
  }

  /** Waits until peer {@code id} is listed and satisfies {@code condition}; returns that entry. */
  PeerEntry awaitPeer(PeerId id, String what, Predicate<PeerEntry> condition)
      throws InterruptedException {
    await(id.shortForm() + " " + what, t -> t.get(id).filter(condition).isPresent());
    return table.get(id).orElseThrow();
  }

  /** Waits until an event (past or future) satisfies {@code condition}; returns it. */
  PeerEvent awaitEvent(String what, Predicate<PeerEvent> condition) throws InterruptedException {
    await(what, t -> events.stream().anyMatch(condition));
    return events.stream().filter(condition).findFirst().orElseThrow();
  }

  List<PeerEvent> eventsFor(PeerId id) {
    return events.stream().filter(e -> e.peer().id().equals(id)).toList();
  }

  Optional<PeerEntry> peer(PeerId id) {
    return table.get(id);
  }

  private void onEvent(PeerEvent event) {
    events.add(event);
    waiters.forEach(this::check);
  }

  private void check(Waiter waiter) {
    try {
      if (waiter.condition().test(table)) {
        waiter.met().complete(null);
      }
    } catch (RuntimeException e) {
      waiter.met().completeExceptionally(e);
    }
  }

  @Override
  public void close() {
    table.removeListener(listener);
  }
}
