package io.bamqp.peer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The helper's evidence: one JSON line ({@link AuditEntry}) per range fetched for a neighbor, in
 * one append-only file per UTC day, {@code audit-YYYY-MM-DD.jsonl}, owner-only (0600, directory
 * 0700). Files older than the retention are deleted when the log opens and at each new day.
 *
 * <p>{@link #append} never blocks: entries go to the log's own writer thread through a queue of at
 * most {@link #MAX_PENDING_ENTRIES}; past that an entry is dropped with a warning rather than
 * stalling the event loop. Thread-safe.
 */
public final class AuditLog implements AutoCloseable {
  /** Default retention: 90 days of fetches. */
  public static final int DEFAULT_RETENTION_DAYS = 90;

  /** Entries waiting for the writer at most (4096); more are dropped, with a warning. */
  public static final int MAX_PENDING_ENTRIES = 4096;

  /** How long {@link #close()} waits for pending entries to be written (5 s). */
  public static final long CLOSE_WAIT_MILLIS = 5_000;

  private static final System.Logger LOG = System.getLogger("io.bamqp.audit");
  private static final String PREFIX = "audit-";
  private static final String SUFFIX = ".jsonl";
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final Path dir;
  private final int retentionDays;
  private final Clock clock;
  private final ThreadPoolExecutor writer;
  private LocalDate prunedOn; // writer thread only

  private AuditLog(Path dir, int retentionDays, Clock clock) {
    this.dir = dir;
    this.retentionDays = retentionDays;
    this.clock = clock;
    this.writer =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(MAX_PENDING_ENTRIES),
            runnable -> {
              Thread thread = new Thread(runnable, "bamqp-audit");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Opens the log in {@code dir} (created owner-only), deleting files older than {@code
   * retentionDays}. Blocking: call it off the event loop.
   */
  public static AuditLog open(Path dir, int retentionDays) throws IOException {
    return open(dir, retentionDays, Clock.systemUTC());
  }

  static AuditLog open(Path dir, int retentionDays, Clock clock) throws IOException {
    if (retentionDays < 1) {
      throw new IllegalArgumentException("retentionDays must be at least 1");
    }
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    AuditLog log = new AuditLog(dir, retentionDays, clock);
    log.prune();
    return log;
  }

  /** Queues {@code entry} for writing; never blocks. */
  public void append(AuditEntry entry) {
    String line;
    try {
      line = MAPPER.writeValueAsString(entry) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode an audit entry", e);
    }
    try {
      writer.execute(() -> write(entry.instant(), line));
    } catch (RejectedExecutionException e) {
      LOG.log(Level.WARNING, "audit log writer is behind or closed: one entry dropped");
    }
  }

  /** Completes once every entry appended before is written (or could not be). */
  public CompletableFuture<Void> flushed() {
    return CompletableFuture.runAsync(() -> {}, writer);
  }

  /** Writes what is pending (waiting at most {@link #CLOSE_WAIT_MILLIS}) and stops. Blocking. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The entries in {@code dir} whose time is {@code since} or later, oldest first (for {@code bamqp
   * audit}). A line that cannot be read (cut by a crash) is skipped. Blocking.
   */
  public static List<AuditEntry> read(Path dir, Instant since) throws IOException {
    List<AuditEntry> entries = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return entries;
    }
    LocalDate firstDay = LocalDate.ofInstant(since, ZoneOffset.UTC);
    List<Path> files = new ArrayList<>();
    for (Path file : files(dir)) {
      LocalDate day = dayOf(file);
      if (day != null && !day.isBefore(firstDay)) {
        files.add(file);
      }
    }
    files.sort(null);
    for (Path file : files) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        try {
          AuditEntry entry = MAPPER.readValue(line, AuditEntry.class);
          if (entry != null && entry.time() != null && !entry.instant().isBefore(since)) {
            entries.add(entry);
          }
        } catch (JsonProcessingException | DateTimeParseException e) {
          // a torn line: skipped
        }
      }
    }
    return entries;
  }

  private void write(Instant time, String line) {
    LocalDate today = LocalDate.now(clock);
    try {
      if (!today.equals(prunedOn)) {
        prune();
      }
      Path file = dir.resolve(PREFIX + LocalDate.ofInstant(time, ZoneOffset.UTC) + SUFFIX);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (FileAlreadyExistsException exists) {
        // appending to today's file
      }
      Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot write the audit log in " + dir + ": " + e.getMessage());
    }
  }

  private void prune() throws IOException {
    LocalDate today = LocalDate.now(clock);
    LocalDate oldestKept = today.minusDays(retentionDays - 1L);
    for (Path file : files(dir)) {
      LocalDate day = dayOf(file);
      if (day != null && day.isBefore(oldestKept)) {
        Files.deleteIfExists(file);
      }
    }
    prunedOn = today;
  }

  private static List<Path> files(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
      stream.forEach(files::add);
    }
    return files;
  }

  private static LocalDate dayOf(Path file) {
    String name = file.getFileName().toString();
    try {
      return LocalDate.parse(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    } catch (DateTimeParseException | IndexOutOfBoundsException e) {
      return null;
    }
  }
}
