package io.bamqp.discovery.internal;

import io.bamqp.discovery.Discovery;
import io.bamqp.discovery.DiscoveryOptions;
import io.bamqp.discovery.LivenessProbe;
import io.bamqp.discovery.PeerTable;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link Discovery} on two daemon threads: {@code bamqp-discovery} (a scheduler: liveness rounds,
 * check results, goodbye sweeps, table listeners; nothing there blocks) and, with mDNS on, {@code
 * bamqp-discovery-mdns} (every blocking jmdns call).
 */
public final class DiscoveryImpl implements Discovery {
  private final ScheduledThreadPoolExecutor scheduler;
  private final ExecutorService mdnsWorker;
  private final PeerTableImpl table;
  private final Liveness liveness;
  private final MdnsAgent mdns;
  private final AtomicBoolean sweepQueued = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  private DiscoveryImpl(DiscoveryOptions options, LivenessProbe probe) {
    scheduler = new ScheduledThreadPoolExecutor(1, daemon("bamqp-discovery"));
    scheduler.setRemoveOnCancelPolicy(true);
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    Liveness[] later = new Liveness[1];
    table =
        new PeerTableImpl(
            options.getSelf(),
            options.getMissesBeforeOffline(),
            scheduler,
            Clock.systemUTC(),
            () -> later[0].soon());
    liveness =
        new Liveness(
            table, probe, scheduler, options.getCheckInterval(), options.getCheckTimeout());
    later[0] = liveness;
    if (options.isMdns()) {
      mdnsWorker = Executors.newSingleThreadExecutor(daemon("bamqp-discovery-mdns"));
      mdns =
          new MdnsAgent(
              options.getSelf(),
              options.getPort(),
              options.getProtocolVersion(),
              table,
              mdnsWorker);
    } else {
      mdnsWorker = null;
      mdns = null;
    }
  }

  /** See {@link Discovery#start}. */
  public static Discovery start(DiscoveryOptions given, LivenessProbe probe) {
    DiscoveryOptions options = new DiscoveryOptions(given);
    Objects.requireNonNull(probe, "probe");
    if (options.getSelf() == null) {
      throw new IllegalArgumentException("discovery needs this node's peer ID (setSelf)");
    }
    if (options.isMdns() && options.getAdvertisedAddresses().isEmpty()) {
      throw new IllegalArgumentException(
          "mDNS is on but no LAN address was given to announce on;"
              + " name one or turn discovery.mdns off");
    }
    DiscoveryImpl discovery = new DiscoveryImpl(options, probe);
    discovery.table.setTrusted(options.getTrusted());
    discovery.table.setStaticPeers(options.getStaticPeers());
    discovery.liveness.start();
    if (discovery.mdns != null) {
      discovery.mdns.start(
          options.getAdvertisedAddresses(), options.isSharing(), options.getRateMbps());
      long sweep = MdnsAgent.GOODBYE_SWEEP_INTERVAL.toNanos();
      discovery.scheduler.scheduleWithFixedDelay(
          discovery::queueSweep, sweep, sweep, TimeUnit.NANOSECONDS);
    }
    return discovery;
  }

  @Override
  public PeerTable table() {
    return table;
  }

  @Override
  public void updateAdvertisement(boolean sharing, double rateMbps) {
    if (!(rateMbps >= 0) || Double.isInfinite(rateMbps)) {
      throw new IllegalArgumentException("rate " + rateMbps + " Mbit/s");
    }
    if (mdns != null && !closing.get()) {
      mdns.update(sharing, rateMbps);
    }
  }

  @Override
  public CompletionStage<Void> closeAsync() {
    if (closing.compareAndSet(false, true)) {
      liveness.stop();
      if (mdns == null) {
        finish();
      } else {
        mdnsWorker.execute(
            () -> {
              try {
                mdns.close();
              } finally {
                mdnsWorker.shutdown();
                finish();
              }
            });
      }
    }
    return closed.minimalCompletionStage();
  }

  @Override
  public void close() {
    closeAsync();
    try {
      closed.get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // goodbyes are best effort; the threads are daemons
    }
  }

  private void finish() {
    table.close();
    scheduler.shutdown();
    closed.complete(null);
  }

  /** Queues one sweep at a time on the mDNS worker, so a slow worker never piles them up. */
  private void queueSweep() {
    if (!closing.get() && sweepQueued.compareAndSet(false, true)) {
      try {
        mdnsWorker.execute(
            () -> {
              sweepQueued.set(false);
              mdns.sweep();
            });
      } catch (RejectedExecutionException e) {
        // closing
      }
    }
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
