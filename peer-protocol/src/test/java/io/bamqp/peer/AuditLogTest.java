package io.bamqp.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.peer.internal.Json;
import io.bamqp.security.PeerId;
import io.bamqp.security.RequestSignature;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class AuditLogTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final PeerId SOMEONE = PeerTestBed.HOME.id();

  @TempDir Path dir;
  private final PeerTestBed bed = new PeerTestBed();

  @AfterEach
  void close() {
    bed.close();
  }

  @Test
  void aRangeFetchIsAuditedWithTheHomesIdItsSignatureAndTheBytesSent() throws IOException {
    Path audit = dir.resolve("audit");
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper().audit(audit, 30));
    HelperLink link = bed.link(helper);
    Await.result(link.offer(new JobOffer("j-1", 8 * Content.MIB, 0)));
    RangeFetch range = bed.rangeOf("/files/8MiB", 10, 300_009);
    RangeFetch secret =
        new RangeFetch(
            range.url() + "?token=s3cret", 10, 300_009, range.totalBytes(), range.etag(), null);
    Instant before = Instant.now();

    Await.result(link.fetch("j-1", secret).compose(PeerTestBed::drain));
    Await.result(helper.close());

    List<AuditEntry> entries = AuditLog.read(audit, before);
    assertThat(entries).hasSize(1);
    AuditEntry entry = entries.get(0);
    assertThat(entry.peer()).isEqualTo(PeerTestBed.HOME.id().toString());
    assertThat(entry.url()).endsWith("?token=s3cret");
    assertThat(entry.first()).isEqualTo(10);
    assertThat(entry.last()).isEqualTo(300_009);
    assertThat(entry.bytesSent()).isEqualTo(300_000);
    assertThat(entry.outcome()).isEqualTo(AuditEntry.COMPLETE);
    RequestSignature signed = entry.request().toSignature();
    assertThat(signed.helper()).isEqualTo(bed.idOf(helper));
    assertThat(signed.target()).isEqualTo(PeerProtocol.rangesPath("j-1"));
    assertThat(signed.isSignedBy(PeerTestBed.HOME.key())).isTrue();
    assertThat(entry.proves()).as("the entry proves itself").isTrue();
    AuditEntry forged =
        new AuditEntry(
            entry.time(),
            entry.peer(),
            entry.jobId(),
            "http://elsewhere.example/other.iso",
            entry.first(),
            entry.last(),
            entry.bytesSent(),
            entry.outcome(),
            entry.request(),
            entry.body().replace(entry.url(), "http://elsewhere.example/other.iso"),
            entry.homeKey());
    assertThat(forged.proves()).as("another URL under the same signature").isFalse();
    try (var files = Files.list(audit)) {
      for (Path file : files.toList()) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
            .isEqualTo("rw-------");
      }
    }
  }

  @Test
  void aRefusedRangeIsAuditedWithItsCode() throws IOException {
    Path audit = dir.resolve("audit");
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper().audit(audit, 30));
    HelperLink link = bed.link(helper);
    Await.result(link.offer(new JobOffer("j-1", 1000, 0)));
    Instant before = Instant.now();

    Await.failure(
        link.fetch("j-1", new RangeFetch("http://127.0.0.1:1/x", 0, 9, 1000, "\"v\"", null)));
    Await.result(helper.close());

    assertThat(AuditLog.read(audit, before))
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.outcome()).startsWith("refused ORIGIN_UNREACHABLE");
              assertThat(entry.bytesSent()).isZero();
            });
  }

  @Test
  void theLogSurvivesReopeningAndAppendsToTheSameDay() throws IOException {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    try (AuditLog log = AuditLog.open(dir, 30, AuditLog.DEFAULT_MAX_BYTES, clock)) {
      log.append(entry(NOW, "first"));
    }
    try (AuditLog log = AuditLog.open(dir, 30, AuditLog.DEFAULT_MAX_BYTES, clock)) {
      log.append(entry(NOW.plusSeconds(1), "second"));
    }

    assertThat(AuditLog.read(dir, NOW.minusSeconds(60)))
        .extracting(AuditEntry::jobId)
        .containsExactly("first", "second");
    assertThat(AuditLog.read(dir, NOW.plusMillis(1)))
        .extracting(AuditEntry::jobId)
        .containsExactly("second");
  }

  @Test
  void aDaysFileRemovedWhileTheLogRunsIsMadeAgainOwnerOnlyForTheNextEntry() throws IOException {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    Path file = dir.resolve("audit-" + LocalDate.ofInstant(NOW, ZoneOffset.UTC) + ".jsonl");
    try (AuditLog log = AuditLog.open(dir, 30, AuditLog.DEFAULT_MAX_BYTES, clock)) {
      log.append(entry(NOW, "before"));
      log.flushed().join();
      Files.delete(file);
      log.append(entry(NOW.plusSeconds(1), "after"));
      log.append(entry(NOW.plusSeconds(2), "and after"));
      log.flushed().join();
    }

    assertThat(AuditLog.read(dir, NOW.minusSeconds(60)))
        .extracting(AuditEntry::jobId)
        .containsExactly("after", "and after");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void anEntrysDayIsTheUtcDayOfItsTimeAsParsingItWouldGive() {
    for (Instant time :
        List.of(
            NOW,
            Instant.parse("2026-12-02T23:59:59.999999999Z"),
            Instant.parse("2027-01-01T00:00:00Z"),
            Instant.EPOCH.minusNanos(1),
            Instant.parse("+10000-01-01T00:00:00Z"))) {
      assertThat(AuditLog.dayOf(time.toString()))
          .as(time.toString())
          .isEqualTo(LocalDate.ofInstant(time, ZoneOffset.UTC).toString());
    }
  }

  @Test
  void filesOlderThanTheRetentionAreDroppedWhenTheLogOpens() throws IOException {
    LocalDate today = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
    Path old = dir.resolve("audit-" + today.minusDays(7) + ".jsonl");
    Path kept = dir.resolve("audit-" + today.minusDays(6) + ".jsonl");
    Path unrelated = dir.resolve("notes.txt");
    for (Path file : List.of(old, kept, unrelated)) {
      Files.writeString(file, "");
    }

    AuditLog.open(dir, 7, AuditLog.DEFAULT_MAX_BYTES, Clock.fixed(NOW, ZoneOffset.UTC)).close();

    assertThat(old).doesNotExist();
    assertThat(kept).exists();
    assertThat(unrelated).exists();
  }

  @Test
  void aFloodOfSignedRefusedRequestsWithLongUrlsLeavesAFewCompactLines() throws IOException {
    Path audit = dir.resolve("audit");
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper().audit(audit, 30));
    HelperLink link = bed.link(helper);
    String longUrl = bed.rangeOf("/files/8MiB", 0, 9).url() + "?pad=" + "x".repeat(8000);
    RangeFetch noSuchJob = new RangeFetch(longUrl, 0, 9, 8 * Content.MIB, "\"v\"", null);

    for (int i = 0; i < 500; i++) {
      Throwable failure = Await.failure(link.fetch("missing", noSuchJob));
      assertThat(((PeerException) failure).code()).isEqualTo(PeerErrorCode.NO_SUCH_JOB);
    }
    Await.result(helper.close());

    // Before: 500 entries of ~17 KB each (URL in the entry and in the signed body), 8 MB.
    assertThat(bytesIn(audit)).isLessThan(16 * 1024);
    assertThat(AuditLog.read(audit, Instant.EPOCH))
        .isNotEmpty()
        .allSatisfy(
            entry -> {
              assertThat(entry.refused()).isTrue();
              assertThat(entry.url()).isNull();
              assertThat(entry.outcome()).startsWith("refused NO_SUCH_JOB");
            });
  }

  @Test
  void refusalsAreKeptOncePerPeerPerSecondWithTheCountSuppressed() throws IOException {
    MutableClock clock = new MutableClock(NOW);
    try (AuditLog log = AuditLog.open(dir, 30, AuditLog.DEFAULT_MAX_BYTES, clock)) {
      for (int i = 0; i < 100; i++) {
        log.append(AuditEntry.refusal(NOW, SOMEONE.toString(), "j", 0, 9, PeerErrorCode.BUSY));
      }
      clock.now = NOW.plusMillis(AuditLog.REFUSAL_INTERVAL_MILLIS);
      log.append(AuditEntry.refusal(clock.now, SOMEONE.toString(), "j", 0, 9, PeerErrorCode.BUSY));
    }

    assertThat(AuditLog.read(dir, NOW.minusSeconds(60)))
        .extracting(AuditEntry::outcome)
        .containsExactly("refused BUSY", "refused BUSY (+99 suppressed)");
  }

  @Test
  void theFilesStayUnderTheCapAndTheKeptEntriesStillProveThemselves() throws IOException {
    long cap = 256 * 1024;
    MutableClock clock = new MutableClock(NOW);
    int appended = 2000;
    try (AuditLog log = AuditLog.open(dir, 30, cap, clock)) {
      for (int i = 0; i < appended; i++) {
        clock.now = NOW.plusMillis(i);
        log.append(provingEntry(clock.now, "j-" + i, 2000));
      }
      Await.result(io.vertx.core.Future.fromCompletionStage(log.flushed()));
      assertThat(bytesIn(dir)).isLessThanOrEqualTo(cap);
    }

    List<AuditEntry> kept = AuditLog.read(dir, NOW.minusSeconds(60));
    assertThat(kept.size()).isBetween(10, appended - 1);
    assertThat(kept).allSatisfy(entry -> assertThat(entry.proves()).isTrue());
    assertThat(kept.get(kept.size() - 1).jobId())
        .as("the newest is kept, the oldest dropped")
        .isEqualTo("j-" + (appended - 1));
    try (var files = Files.list(dir)) {
      assertThat(files.count()).isGreaterThan(1);
    }
  }

  private static long bytesIn(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      long total = 0;
      for (Path file : files.toList()) {
        total += Files.size(file);
      }
      return total;
    }
  }

  /** An entry whose signed body names its URL, as a helper writes it. */
  private static AuditEntry provingEntry(Instant time, String jobId, int urlLength) {
    String url = "http://o/f?pad=" + "x".repeat(urlLength);
    RangeFetch fetch = new RangeFetch(url, 0, 9, 100, "\"v\"", null);
    String body =
        new String(Json.encode(fetch).getBytes(), java.nio.charset.StandardCharsets.UTF_8);
    RequestSignature signature =
        RequestSignature.sign(
            PeerTestBed.HOME,
            SOMEONE,
            "POST",
            PeerProtocol.rangesPath(jobId),
            body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            time.toEpochMilli());
    return new AuditEntry(
        time.toString(),
        SOMEONE.toString(),
        jobId,
        url,
        0,
        9,
        10,
        AuditEntry.COMPLETE,
        AuditEntry.SignedRequest.of(signature),
        body,
        java.util.Base64.getEncoder().encodeToString(PeerTestBed.HOME.key().raw()));
  }

  /** A clock a test moves by hand. */
  private static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static AuditEntry entry(Instant time, String jobId) {
    RequestSignature signature =
        RequestSignature.sign(
            PeerTestBed.HOME, SOMEONE, "POST", "/bamqp/v1/jobs/" + jobId + "/ranges", null, 0);
    return new AuditEntry(
        time.toString(),
        SOMEONE.toString(),
        jobId,
        "http://o/f",
        0,
        9,
        10,
        AuditEntry.COMPLETE,
        AuditEntry.SignedRequest.of(signature),
        "{}",
        java.util.Base64.getEncoder().encodeToString(PeerTestBed.HOME.key().raw()));
  }
}
