package io.bamqp.proxy.config;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches the config file and hands each valid new version to a listener, so peers and sharing
 * change without a restart. A version that does not load (bad YAML, a bad value) is logged with the
 * key and ignored: the node keeps running on the last good config.
 *
 * <p>Runs on its own daemon thread; the listener is called there, one version at a time.
 */
public final class ConfigWatcher implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("io.bamqp.config");

  /**
   * Quiet time after the last change before the file is read: editors write a file in several steps
   * (truncate, write, rename), and a half-written file must not be read.
   */
  public static final Duration SETTLE = Duration.ofMillis(300);

  private final Path file;
  private final WatchService watcher;
  private final Thread thread;
  private volatile BamqpConfig current;

  private final Consumer<ConfigException> rejected;

  private ConfigWatcher(
      Path file,
      BamqpConfig loaded,
      Consumer<BamqpConfig> listener,
      Consumer<ConfigException> rejected)
      throws IOException {
    this.rejected = rejected;
    this.file = file.toAbsolutePath();
    this.current = loaded;
    this.watcher = this.file.getFileSystem().newWatchService();
    // Watch the folder: an editor's rename replaces the file, and a watch on it would be lost.
    this.file
        .getParent()
        .register(
            watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
    this.thread = new Thread(() -> watch(listener), "bamqp-config-watch");
    this.thread.setDaemon(true);
  }

  /** Starts watching {@code file}, whose current version is {@code loaded}. */
  public static ConfigWatcher start(Path file, BamqpConfig loaded, Consumer<BamqpConfig> listener)
      throws IOException {
    return start(file, loaded, listener, rejected -> {});
  }

  /** As {@link #start(Path, BamqpConfig, Consumer)}, also telling of versions that did not load. */
  public static ConfigWatcher start(
      Path file,
      BamqpConfig loaded,
      Consumer<BamqpConfig> listener,
      Consumer<ConfigException> rejected)
      throws IOException {
    ConfigWatcher watcher = new ConfigWatcher(file, loaded, listener, rejected);
    watcher.thread.start();
    return watcher;
  }

  /** The last version that loaded. */
  public BamqpConfig current() {
    return current;
  }

  private void watch(Consumer<BamqpConfig> listener) {
    try {
      while (true) {
        if (!concernsFile(watcher.take())) {
          continue;
        }
        // Let the burst of events from one save pass, then read once.
        WatchKey more;
        while ((more = watcher.poll(SETTLE.toMillis(), TimeUnit.MILLISECONDS)) != null) {
          concernsFile(more);
        }
        reload(listener);
      }
    } catch (InterruptedException | ClosedWatchServiceException stopped) {
      // close() ends the thread.
    }
  }

  private boolean concernsFile(WatchKey key) {
    boolean ours = false;
    for (WatchEvent<?> event : key.pollEvents()) {
      ours |= event.context() instanceof Path name && name.equals(file.getFileName());
      ours |= event.kind() == StandardWatchEventKinds.OVERFLOW;
    }
    key.reset();
    return ours;
  }

  private void reload(Consumer<BamqpConfig> listener) {
    BamqpConfig next;
    try {
      next = ConfigLoader.load(file);
    } catch (ConfigException e) {
      LOG.log(
          Level.WARNING,
          "config {0} not reloaded, keeping the last good one: {1}",
          file,
          e.getMessage());
      rejected.accept(e);
      return;
    }
    if (next.equals(current)) {
      return;
    }
    BamqpConfig before = current;
    current = next;
    String restart = RestartKeys.changed(before, next);
    if (!restart.isEmpty()) {
      LOG.log(Level.WARNING, "config {0}: {1} change only after a restart", file, restart);
    }
    LOG.log(Level.INFO, "config {0} reloaded", file);
    try {
      listener.accept(next);
    } catch (RuntimeException bug) {
      LOG.log(Level.ERROR, "applying the reloaded config failed", bug);
    }
  }

  @Override
  public void close() throws IOException {
    watcher.close();
    thread.interrupt();
  }
}
