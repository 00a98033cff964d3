package io.bamqp.discovery.internal;

import io.bamqp.discovery.LivenessProbe;
import io.bamqp.discovery.LivenessProbe.Probe;
import io.bamqp.security.PeerId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks every trusted peer once per interval through the injected {@link LivenessProbe}: first at
 * the address that worked last; if that fails (or none worked yet), at all its other addresses at
 * once, the first answer winning. A round counts as one miss only when no address answered. Runs on
 * the {@code bamqp-discovery} scheduler; a peer whose check is still under way is skipped.
 */
final class Liveness {
  private final PeerTableImpl table;
  private final LivenessProbe probe;
  private final ScheduledExecutorService scheduler;
  private final Duration interval;
  private final Duration timeout;
  private ScheduledFuture<?> rounds;

  /** A claimed check: the peer and its addresses, the working one first when it has one. */
  record Check(PeerId id, List<InetSocketAddress> addresses, boolean firstHasWorked) {}

  Liveness(
      PeerTableImpl table,
      LivenessProbe probe,
      ScheduledExecutorService scheduler,
      Duration interval,
      Duration timeout) {
    this.table = table;
    this.probe = probe;
    this.scheduler = scheduler;
    this.interval = interval;
    this.timeout = timeout;
  }

  void start() {
    rounds =
        scheduler.scheduleWithFixedDelay(this::round, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
  }

  void stop() {
    if (rounds != null) {
      rounds.cancel(false);
    }
  }

  /** A round now, for peers that just became checkable. */
  void soon() {
    try {
      scheduler.execute(this::round);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void round() {
    if (rounds == null || rounds.isCancelled()) {
      return;
    }
    for (Check check : table.dueChecks()) {
      List<InetSocketAddress> all = check.addresses();
      if (check.firstHasWorked()) {
        attempt(check.id(), all.get(0))
            .whenCompleteAsync(
                (answer, failure) -> {
                  if (failure == null) {
                    table.answered(check.id(), all.get(0), answer);
                  } else {
                    fanOut(check.id(), all.subList(1, all.size()));
                  }
                },
                scheduler);
      } else {
        fanOut(check.id(), all);
      }
    }
  }

  /** Checks every address at once; the first to answer becomes the working address. */
  private void fanOut(PeerId id, List<InetSocketAddress> addresses) {
    if (addresses.isEmpty()) {
      table.missed(id);
      return;
    }
    CompletableFuture<Void> settled = new CompletableFuture<>();
    AtomicInteger failures = new AtomicInteger();
    for (InetSocketAddress address : addresses) {
      attempt(id, address)
          .whenCompleteAsync(
              (answer, failure) -> {
                if (failure == null) {
                  if (settled.complete(null)) {
                    table.answered(id, address, answer);
                  }
                } else if (failures.incrementAndGet() == addresses.size()
                    && settled.complete(null)) {
                  table.missed(id);
                }
              },
              scheduler);
    }
  }

  /** One call to the probe, bounded by the timeout; a probe that throws counts as a failure. */
  private CompletableFuture<Probe> attempt(PeerId id, InetSocketAddress address) {
    CompletableFuture<Probe> answer = new CompletableFuture<>();
    ScheduledFuture<?> deadline =
        scheduler.schedule(
            () -> answer.completeExceptionally(new TimeoutException("no answer in " + timeout)),
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    try {
      probe
          .check(id, address)
          .whenComplete(
              (result, failure) -> {
                if (failure == null && result != null) {
                  answer.complete(result);
                } else {
                  answer.completeExceptionally(
                      failure != null ? failure : new IllegalStateException("no answer"));
                }
              });
    } catch (RuntimeException e) {
      answer.completeExceptionally(e);
    }
    answer.whenComplete((result, failure) -> deadline.cancel(false));
    return answer;
  }
}
