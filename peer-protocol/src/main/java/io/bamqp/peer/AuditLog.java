package io.bamqp.peer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
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
 * <p>The files together hold at most {@code maxBytes} ({@link #DEFAULT_MAX_BYTES}): a day's file
 * that would pass {@code maxBytes / }{@link #FILES_PER_CAP} is rotated (renamed {@code
 * audit-YYYY-MM-DD.<epochMillis>.jsonl}, still read by {@link #read}), and the oldest files are
 * deleted first until the total fits. Refused requests (entries without a URL, see {@link
 * AuditEntry#refused}) are kept at most once per peer per {@link #REFUSAL_INTERVAL_MILLIS}; the
 * next one kept says how many were suppressed, so a flood of refused requests cannot fill the disk.
 *
 * <p>{@link #append} never blocks: entries go to the log's own writer thread through a queue of at
 * most {@link #MAX_PENDING_ENTRIES}; past that an entry is dropped with a warning rather than
 * stalling the event loop. Thread-safe.
 */
public final class AuditLog implements AutoCloseable {
  /** Default retention: 90 days of fetches. */
  public static final int DEFAULT_RETENTION_DAYS = 90;

  /** Default cap on all audit files together: 64 MiB. */
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

  /** A day's file is rotated when it would pass this share of the cap: 1/8 (8 MiB by default). */
  public static final int FILES_PER_CAP = 8;

  /** At most one refused request per peer is kept per second; the rest are counted. */
  public static final long REFUSAL_INTERVAL_MILLIS = 1_000;

  /** Entries waiting for the writer at most (4096); more are dropped, with a warning. */
  public static final int MAX_PENDING_ENTRIES = 4096;

  /** How long {@link #close()} waits for pending entries to be written (5 s). */
  public static final long CLOSE_WAIT_MILLIS = 5_000;

  private static final System.Logger LOG = System.getLogger("io.bamqp.audit");
  private static final String PREFIX = "audit-";
  private static final String SUFFIX = ".jsonl";
  private static final int DAY_CHARS = "YYYY-MM-DD".length();
  private static final long MIN_MAX_BYTES = 64 * 1024;
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final Path dir;
  private final int retentionDays;
  private final long maxBytes;
  private final Clock clock;
  private final ThreadPoolExecutor writer;
  private final EventThrottle refusals;
  private LocalDate prunedOn; // writer thread only
  private long totalBytes; // writer thread only
  private long lastRotation; // writer thread only
  private FileChannel open; // writer thread only: the file entries go to, or null
  private Path openFile; // writer thread only
  private long openBytes; // writer thread only: the open file's size

  private AuditLog(Path dir, int retentionDays, long maxBytes, Clock clock) {
    this.dir = dir;
    this.retentionDays = retentionDays;
    this.maxBytes = maxBytes;
    this.clock = clock;
    this.refusals = new EventThrottle(1, Duration.ofMillis(REFUSAL_INTERVAL_MILLIS), clock::millis);
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
    return open(dir, retentionDays, DEFAULT_MAX_BYTES);
  }

  /** Opens the log holding at most {@code maxBytes} in all its files. Blocking. */
  public static AuditLog open(Path dir, int retentionDays, long maxBytes) throws IOException {
    return open(dir, retentionDays, maxBytes, Clock.systemUTC());
  }

  static AuditLog open(Path dir, int retentionDays, long maxBytes, Clock clock) throws IOException {
    if (retentionDays < 1) {
      throw new IllegalArgumentException("retentionDays must be at least 1");
    }
    if (maxBytes < MIN_MAX_BYTES) {
      throw new IllegalArgumentException("maxBytes must be at least " + MIN_MAX_BYTES);
    }
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    AuditLog log = new AuditLog(dir, retentionDays, maxBytes, clock);
    log.prune();
    log.trim();
    return log;
  }

  /** Queues {@code entry} for writing (a refusal only if its peer's is due); never blocks. */
  public void append(AuditEntry entry) {
    AuditEntry kept = entry.refused() ? throttled(entry) : entry;
    if (kept == null) {
      return;
    }
    String line;
    try {
      line = MAPPER.writeValueAsString(kept) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode an audit entry", e);
    }
    try {
      writer.execute(() -> write(kept.time(), line));
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
    if (writer.isTerminated()) {
      closeOpenFile(); // else the writer is stuck past the wait and keeps its file
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

  /** {@code entry} if its peer's refusal is due, with the count suppressed since; else null. */
  private AuditEntry throttled(AuditEntry entry) {
    long suppressed = refusals.admit(entry.peer());
    if (suppressed < 0) {
      return null;
    }
    return suppressed == 0 ? entry : entry.withSuppressed(suppressed);
  }

  /**
   * The UTC day of an entry's time as its file names it ({@code 2026-12-02} of {@code
   * 2026-12-02T10:15:30.123Z}): cut from the text {@link Instant#toString} made, which is always
   * UTC, rather than parsed per entry; anything else is parsed.
   */
  static String dayOf(String time) {
    if (time.length() > 10
        && time.charAt(4) == '-'
        && time.charAt(7) == '-'
        && time.charAt(10) == 'T') {
      return time.substring(0, 10);
    }
    return LocalDate.ofInstant(Instant.parse(time), ZoneOffset.UTC).toString();
  }

  private void write(String time, String line) {
    LocalDate today = LocalDate.now(clock);
    try {
      if (!today.equals(prunedOn)) {
        prune();
      }
      String day = dayOf(time);
      Path file = dir.resolve(PREFIX + day + SUFFIX);
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      if (!file.equals(openFile) || !Files.exists(file)) { // another day, or trimmed or removed
        openAppending(file);
      }
      if (openBytes > 0 && openBytes + bytes.length > maxBytes / FILES_PER_CAP) {
        closeOpenFile();
        lastRotation = Math.max(clock.millis(), lastRotation + 1);
        Files.move(file, dir.resolve(PREFIX + day + "." + lastRotation + SUFFIX));
        openAppending(file);
      }
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        open.write(buffer);
      }
      openBytes += bytes.length;
      totalBytes += bytes.length;
      if (totalBytes > maxBytes) {
        trim();
      }
    } catch (IOException e) {
      closeOpenFile(); // reopened for the next entry
      LOG.log(Level.WARNING, "cannot write the audit log in " + dir + ": " + e.getMessage());
    }
  }

  /**
   * Makes {@code file} the open one, appended to from its current end: created owner-only before
   * its first byte if missing. One open file rather than an open, append and close per entry: a
   * helper writes several entries a second while it serves.
   */
  private void openAppending(Path file) throws IOException {
    closeOpenFile();
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException made) {
      // this day's file from before: appended to
    }
    open = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    openFile = file;
    openBytes = open.size();
  }

  private void closeOpenFile() {
    if (open == null) {
      return;
    }
    try {
      open.close();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot close the audit file " + openFile + ": " + e.getMessage());
    }
    open = null;
    openFile = null;
    openBytes = 0;
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

  /** Deletes the oldest files (by name: day, then rotation) until the total fits the cap. */
  private void trim() throws IOException {
    List<Path> files = files(dir);
    files.sort(null);
    long total = 0;
    for (Path file : files) {
      total += Files.size(file);
    }
    for (int i = 0; total > maxBytes && i < files.size(); i++) {
      total -= Files.size(files.get(i));
      Files.deleteIfExists(files.get(i));
    }
    totalBytes = total;
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
      return LocalDate.parse(name.substring(PREFIX.length(), PREFIX.length() + DAY_CHARS));
    } catch (DateTimeParseException | IndexOutOfBoundsException e) {
      return null;
    }
  }
}
