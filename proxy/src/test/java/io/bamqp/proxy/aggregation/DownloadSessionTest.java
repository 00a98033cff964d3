package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.planner.PlannerConfig;
import io.bamqp.proxy.aggregation.Eligibility.Verdict;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.Line;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The session over real sockets: a front server runs it for each request, the "neighbors" are
 * origin lines bound to their own loopback addresses (the peer protocol is tested on its own).
 */
class DownloadSessionTest {
  private static final long FILE = 24 * Content.MIB;

  private final Vertx vertx = Vertx.vertx();
  private TestOrigin origin;
  private HttpServer front;
  private final List<Neighbor> neighbors = new ArrayList<>();
  private final Promise<SessionReport> report = Promise.promise();

  /** A {@code Digest} (RFC 3230) the front adds to the origin's answer, or null. */
  private volatile String olderDigest;

  /** A {@code Repr-Digest} the front adds to the origin's answer, or null. */
  private volatile String reprDigest;

  private volatile double spotCheckRatio;

  /** The last session the front started, and its event loop. */
  private volatile DownloadSession session;

  private volatile Context sessionContext;

  /** The SHA-256 of the last body {@link #downloadFailure} read whole. */
  private volatile String lastSha256;

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  @BeforeEach
  void start() throws Exception {
    origin =
        Await.result(
            TestOrigin.builder()
                .line("127.0.0.1", Line.ofMbps(80))
                .line("127.0.0.12", Line.ofMbps(80))
                .line("127.0.0.13", Line.ofMbps(40))
                .build()
                .start(vertx));
    HttpClient home = vertx.createHttpClient(lineOptions("127.0.0.1"));
    front =
        Await.result(
            vertx
                .createHttpServer()
                .requestHandler(
                    request -> {
                      RequestOptions options =
                          new RequestOptions()
                              .setAbsoluteURI(origin.url(request.path()))
                              .setHeaders(request.headers().copy().remove("host"));
                      long sent = System.nanoTime();
                      home.request(options)
                          .compose(r -> r.send())
                          .onSuccess(
                              response -> {
                                response.pause();
                                Verdict verdict =
                                    Eligibility.judge(
                                        HttpMethod.GET,
                                        request.headers(),
                                        response.statusCode(),
                                        response.headers(),
                                        Content.MIB);
                                assertThat(verdict.eligible()).as(verdict.reason()).isTrue();
                                request.response().setStatusCode(response.statusCode());
                                request.response().headers().addAll(response.headers());
                                DownloadSession started =
                                    new DownloadSession(
                                            vertx,
                                            verdict.download(),
                                            request.response(),
                                            StreamFlow.of(response),
                                            new HomeLine(home, options, verdict.download()),
                                            10_000_000,
                                            System.nanoTime() - sent,
                                            PlannerConfig.forFile(FILE)
                                                .withBufferBytes(8 * Content.MIB))
                                        .verifying(digestOf(response.headers(), verdict))
                                        .spotChecking(spotCheckRatio);
                                session = started;
                                sessionContext = vertx.getOrCreateContext();
                                started
                                    .start(neighbors, origin.url(request.path()))
                                    .onComplete(report);
                              });
                    })
                .listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    Await.result(vertx.close());
  }

  @Test
  @Tag("timing") // each line's share follows the shaped lines' rates on the wall clock
  void twoExtraLinesCarryTheirShareAndTheClientGetsTheExactBytes() throws Exception {
    neighbors.add(line("127.0.0.12"));
    neighbors.add(line("127.0.0.13"));

    String sha256 = download("/files/" + FILE);
    SessionReport done = Await.result(report.future());

    assertThat(sha256).isEqualTo(Content.ofSize(FILE).sha256Hex());
    assertThat(done.bytes()).isEqualTo(FILE);
    assertThat(done.bytesBySource()).containsKeys("home", "line:127.0.0.12", "line:127.0.0.13");
    assertThat(done.bytesBySource().get("line:127.0.0.12")).isGreaterThan(2 * Content.MIB);
    assertThat(origin.stats("127.0.0.12").bytesSent() + origin.stats("127.0.0.13").bytesSent())
        .isGreaterThan(FILE / 4);
  }

  @Test
  void aClientsOwnRangeIsAggregatedInsideThatRange() throws Exception {
    neighbors.add(line("127.0.0.12"));
    long first = 3 * Content.MIB + 17;
    long last = 19 * Content.MIB;
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    HttpClient client = vertx.createHttpClient();
    String[] contentRange = new String[1];
    Await.result(
        client
            .request(HttpMethod.GET, front.actualPort(), "127.0.0.1", "/files/" + FILE)
            .compose(r -> r.putHeader("Range", "bytes=" + first + "-" + last).send())
            .compose(
                response -> {
                  contentRange[0] = response.getHeader("Content-Range");
                  response.handler(buffer -> digest.update(buffer.getBytes()));
                  return response.end();
                }));
    SessionReport done = Await.result(report.future());

    assertThat(contentRange[0]).isEqualTo("bytes " + first + "-" + last + "/" + FILE);
    assertThat(HexFormat.of().formatHex(digest.digest()))
        .isEqualTo(Content.ofSize(FILE).sha256Hex(first, last - first + 1));
    assertThat(done.bytes()).isEqualTo(last - first + 1);
    assertThat(done.bytesBySource()).containsKey("line:127.0.0.12");
  }

  @Test
  void aSourceThatFailsMidwayLosesItsRemainderAndTheBytesStillMatch() throws Exception {
    origin.faults().onlyFor("127.0.0.12").resetAfter(256 * 1024);
    neighbors.add(line("127.0.0.12"));
    neighbors.add(line("127.0.0.13"));

    String sha256 = download("/files/" + FILE);
    SessionReport done = Await.result(report.future());

    assertThat(sha256).isEqualTo(Content.ofSize(FILE).sha256Hex());
    // Its fair share would be 40% (about 9.6 MiB); a failed source is retired after its first
    // failure, so it carries only what its first ranges delivered before the reset.
    assertThat(done.bytesBySource().getOrDefault("line:127.0.0.12", 0L))
        .isLessThan(2 * Content.MIB);
    assertThat(done.replannedBytes()).isPositive();
  }

  @Test
  void aHomeLineThatFailsNowAndThenButProgressesInBetweenCompletesTheDownload() throws Exception {
    // Every home response is reset after 2 MiB: a dozen failures over the file, each after
    // progress. Found by the soak (issue 14), where a busy CPU made the home line "stall" now and
    // then and the sixth hiccup ended downloads that were progressing.
    origin.faults().onlyFor("127.0.0.1").resetAfter(2 * Content.MIB);

    String sha256 = download("/files/" + FILE);
    SessionReport done = Await.result(report.future());

    assertThat(sha256).isEqualTo(Content.ofSize(FILE).sha256Hex());
    assertThat(done.bytesBySource()).containsOnlyKeys("home");
    assertThat(done.replannedBytes()).isPositive();
  }

  @Test
  void aHomeLineThatFailsWithoutProgressEndsTheDownload() throws Exception {
    origin.faults().onlyFor("127.0.0.1").resetAfter(64 * 1024);

    Throwable failure = downloadFailure("/files/" + FILE);

    assertThat(failure).isNotNull();
    assertThat(report.future().toCompletionStage().toCompletableFuture())
        .failsWithin(java.time.Duration.ofSeconds(30))
        .withThrowableThat()
        .withMessageContaining("every source failed");
  }

  @Test
  void aHomeLineThatStalledJoinsTheDownloadAgainAfterItsBackoffWhileANeighborCarriesIt()
      throws Exception {
    // The home line's responses stall after 1 MiB: it is retired from the download, and the
    // neighbor line (40 Mbit/s, about 5 s for the file alone) carries on. Once the stall is cured
    // the home line must come back after its backoff (1 s), not only when no other source is left:
    // with eight downloads on one line the home line left four of them for good and sat idle for
    // the bench's last 45 s (issue 12).
    origin.faults().onlyFor("127.0.0.1").stallAfter(Content.MIB);
    neighbors.add(line("127.0.0.13"));
    CompletableFuture<String> sha256 =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return download("/files/" + FILE);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    await().atMost(Duration.ofSeconds(20)).until(() -> homeSource().stalls() >= 1);
    long homeBytesAtTheStall = homeSource().keptBytes();
    origin.faults().clear();

    assertThat(sha256.get(60, TimeUnit.SECONDS)).isEqualTo(Content.ofSize(FILE).sha256Hex());
    SessionReport done = Await.result(report.future());
    assertThat(done.bytesBySource().get("home"))
        .as("bytes the home line brought after it rejoined")
        .isGreaterThan(homeBytesAtTheStall + Content.MIB);
  }

  @Test
  void aNeighborWhoseRangesStallTogetherStallsOnceAndLeavesOnce() throws Exception {
    // Every response to the neighbor stalls from its first byte, so each range it was given stalls
    // in the same stall: that is one stall of the source and one departure (one slot handed on),
    // however many of its ranges were in flight. Counted per range, a stats page said "stalled 2"
    // for one stall, and the scheduler heard the neighbor leave twice.
    origin.faults().onlyFor("127.0.0.12").stallAfter(0);
    neighbors.add(line("127.0.0.12"));

    String sha256 = download("/files/" + FILE);
    Await.result(report.future());

    assertThat(sha256).isEqualTo(Content.ofSize(FILE).sha256Hex());
    SourceSnapshot stalled = source("line:127.0.0.12");
    assertThat(stalled.stalls()).as("stalls of %s", stalled).isEqualTo(1);
  }

  /** The home line's row in the running session's latest statistics, or an empty one. */
  private SourceSnapshot homeSource() {
    return source("home");
  }

  /** {@code name}'s row in the running session's latest statistics, or an empty one. */
  private SourceSnapshot source(String name) {
    DownloadSession running = session;
    DownloadSnapshot snapshot = running == null ? null : running.stats().snapshot();
    if (snapshot != null) {
      for (SourceSnapshot source : snapshot.sources()) {
        if (source.name().equals(name)) {
          return source;
        }
      }
    }
    return new SourceSnapshot(name, "none", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());
  }

  @Test
  void anObjectThatChangesMidwayIsNeverDeliveredWhole() throws Exception {
    origin.faults().changeVersionAfter(6 * Content.MIB);
    neighbors.add(line("127.0.0.12"));

    Throwable failure = downloadFailure("/files/" + FILE);

    assertThat(failure).isNotNull();
    assertThat(report.future().toCompletionStage().toCompletableFuture())
        .failsWithin(java.time.Duration.ofSeconds(30))
        .withThrowableThat()
        .withMessageContaining("object changed");
  }

  @Test
  void aSlowClientKeepsTheReorderBufferWithinTheWindow() throws Exception {
    neighbors.add(line("127.0.0.12"));
    neighbors.add(line("127.0.0.13"));

    String sha256 = downloadSlowly("/files/" + FILE, 40 * 1000 * 1000 / 8);
    SessionReport done = Await.result(report.future());

    assertThat(sha256).isEqualTo(Content.ofSize(FILE).sha256Hex());
    assertThat(done.maxBufferedBytes()).isLessThanOrEqualTo(8 * Content.MIB);
  }

  @Test
  void aClientThatLeavesCancelsEveryFetch() throws Exception {
    neighbors.add(line("127.0.0.12"));
    neighbors.add(line("127.0.0.13"));
    HttpClient client = vertx.createHttpClient();
    Promise<Void> leftAfterFirstBytes = Promise.promise();
    client
        .request(HttpMethod.GET, front.actualPort(), "127.0.0.1", "/files/" + FILE)
        .compose(r -> r.send())
        .onSuccess(
            response ->
                response.handler(
                    buffer -> {
                      response.request().connection().close();
                      leftAfterFirstBytes.tryComplete();
                    }));
    Await.result(leftAfterFirstBytes.future());

    assertThat(report.future().toCompletionStage().toCompletableFuture())
        .failsWithin(java.time.Duration.ofSeconds(30));
    // The origin has no close event: poll its counter.
    await("every origin connection closed")
        .atMost(Duration.ofSeconds(20))
        .until(() -> openOriginConnections() == 0);
    assertThat(origin.bytesSent()).isLessThan(FILE);
  }

  @Test
  void bytesThatContradictTheOriginsOlderDigestHeaderNeverCompleteTheResponse() throws Exception {
    olderDigest = "SHA-256=" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
    neighbors.add(line("127.0.0.12"));

    Throwable failure = downloadFailure("/files/" + FILE);

    assertThat(failure).as("the client saw the body end normally").isNotNull();
    assertThat(report.future().toCompletionStage().toCompletableFuture())
        .failsWithin(java.time.Duration.ofSeconds(30))
        .withThrowableThat()
        .withMessageContaining("origin's Digest (sha-256)");
  }

  @Test
  void bytesThatMatchTheOriginsReprDigestAreDeliveredWhole() throws Exception {
    reprDigest = "sha-256=:" + base64(Content.ofSize(FILE).sha256Hex()) + ":";
    neighbors.add(line("127.0.0.12"));

    String sha256 = download("/files/" + FILE);

    assertThat(sha256).isEqualTo(Content.ofSize(FILE).sha256Hex());
    assertThat(Await.result(report.future()).bytes()).isEqualTo(FILE);
  }

  @Test
  void bytesThatContradictTheOriginsReprDigestNeverCompleteTheResponse() throws Exception {
    reprDigest = "sha-512=:" + java.util.Base64.getEncoder().encodeToString(new byte[64]) + ":";
    neighbors.add(line("127.0.0.12"));

    Throwable failure = downloadFailure("/files/" + FILE);

    assertThat(failure).as("the client saw the body end normally").isNotNull();
    assertThat(report.future().toCompletionStage().toCompletableFuture())
        .failsWithin(java.time.Duration.ofSeconds(30))
        .withThrowableThat()
        .withMessageContaining("Repr-Digest (sha-512)");
  }

  @Test
  void spotChecksOfHonestNeighborsLetTheDownloadComplete() throws Exception {
    spotCheckRatio = 1;
    neighbors.add(line("127.0.0.12"));
    neighbors.add(line("127.0.0.13"));

    String sha256 = download("/files/" + FILE);

    assertThat(sha256).isEqualTo(Content.ofSize(FILE).sha256Hex());
    assertThat(Await.result(report.future()).bytesBySource()).containsKey("line:127.0.0.12");
  }

  @Test
  void aNeighborThatAltersBytesIsCaughtBeforeTheClientGetsThemAndItsBytesAreRepaired()
      throws Exception {
    assertThat(caughtByTheHomeLineAndRepaired(0))
        .contains("liar's bytes")
        .contains("differ from the origin's (checked by home line)");
  }

  @Test
  void aNeighborCaughtByTheBlockItIsDeliveringHasThatBlocksLastBytesRepairedToo() throws Exception {
    // Its buffers come half a second late, so the home line's copy of a checked block is there
    // first: the check fails as the neighbor's last bytes of the block arrive, and its response has
    // long ended (only its delivery is pending) when the session stops it.
    assertThat(caughtByTheHomeLineAndRepaired(500)).contains("(checked by home line)");
  }

  /**
   * Downloads with one neighbor, which alters every buffer it sends ({@code delayMillis} late) and
   * is checked by the home line; asserts the client got the file byte-exact and answers why the
   * neighbor was quarantined.
   */
  private String caughtByTheHomeLineAndRepaired(long delayMillis) throws Exception {
    spotCheckRatio = 1;
    Promise<String> quarantined = Promise.promise();
    neighbors.add(liar(line("127.0.0.12"), quarantined, 0, vertx, delayMillis));

    String sha256 = download("/files/" + FILE);

    assertThat(sha256)
        .as("repaired from the home line")
        .isEqualTo(Content.ofSize(FILE).sha256Hex());
    return Await.result(quarantined.future());
  }

  @Test
  void aNeighborAlteringOneBytePerMibIsCaughtByAnotherNeighborAndNeverCompletesTheDownload()
      throws Exception {
    spotCheckRatio = 1;
    Promise<String> quarantined = Promise.promise();
    neighbors.add(liar(line("127.0.0.12"), quarantined, Content.MIB, vertx, 0));
    neighbors.add(line("127.0.0.13"));

    Throwable failure = downloadFailure("/files/" + FILE);

    // Caught on its own bytes, or lying as the checker of the honest neighbor: either way the home
    // line settled it.
    assertThat(Await.result(quarantined.future()))
        .contains("liar's bytes")
        .containsAnyOf("checked by another neighbor and the home line", "a neighbor it checked");
    if (failure == null) {
      // Caught on probation, before any of its bytes left: repaired, never completed with them.
      assertThat(Await.result(report.future()).bytes()).isEqualTo(FILE);
      assertThat(lastSha256).isEqualTo(Content.ofSize(FILE).sha256Hex());
    } else {
      assertThat(report.future().toCompletionStage().toCompletableFuture())
          .failsWithin(java.time.Duration.ofSeconds(30))
          .withThrowableThat()
          .withMessageContaining("reached the client, which was reset");
    }
  }

  @Test
  void aNeighborWhoseSlotMovesToAnotherDownloadReleasesItsCheckJobThereToo() throws Exception {
    spotCheckRatio = 1;
    AtomicInteger jobsOnTwelve = new AtomicInteger();
    Neighbor twelve = counting(line("127.0.0.12"), jobsOnTwelve);
    neighbors.add(twelve);
    neighbors.add(line("127.0.0.13"));
    CompletableFuture<String> sha256 =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return downloadSlowly("/files/" + FILE, 4_000_000); // 6 s
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    // Its range job, and the check job it holds as the checker of the other neighbor's bytes.
    await().atMost(Duration.ofSeconds(20)).until(() -> jobsOnTwelve.get() == 2);

    sessionContext.runOnContext(v -> session.giveBack(twelve));

    await().atMost(Duration.ofSeconds(2)).until(() -> jobsOnTwelve.get() == 0);
    assertThat(report.future().isComplete()).as("released while the download runs").isFalse();
    assertThat(sha256.get(30, TimeUnit.SECONDS)).isEqualTo(Content.ofSize(FILE).sha256Hex());
  }

  /** {@code honest}, counting the jobs it holds: offers it accepted, less the jobs released. */
  private static Neighbor counting(Neighbor honest, AtomicInteger held) {
    return new Neighbor() {
      @Override
      public String name() {
        return honest.name();
      }

      @Override
      public Future<Joined> offer(
          String jobId, Eligibility.Download download, String url, long expectedMillis) {
        return honest
            .offer(jobId, download, url, expectedMillis)
            .map(
                joined -> {
                  held.incrementAndGet();
                  AtomicBoolean released = new AtomicBoolean();
                  return new Joined(
                      joined.source(),
                      joined.bytesPerSecond(),
                      joined.rttNanos(),
                      () -> {
                        if (released.compareAndSet(false, true)) {
                          held.decrementAndGet();
                        }
                        joined.release().run();
                      });
                });
      }
    };
  }

  /**
   * A neighbor that alters what {@code honest} fetches: one byte in every {@code period} bytes of
   * the file (at the same place in each), or the first byte of every buffer when {@code period} is
   * 0; its quarantine completes {@code quarantined}. Each buffer reaches the session {@code
   * delayMillis} late (on {@code vertx}'s timers), or at once when 0.
   */
  private static Neighbor liar(
      Neighbor honest, Promise<String> quarantined, long period, Vertx vertx, long delayMillis) {
    return new Neighbor() {
      @Override
      public String name() {
        return "liar";
      }

      @Override
      public Future<Joined> offer(
          String jobId, Eligibility.Download download, String url, long expectedMillis) {
        return honest
            .offer(jobId, download, url, expectedMillis)
            .map(
                joined ->
                    new Joined(
                        new LyingSource(joined.source(), period, vertx, delayMillis),
                        joined.bytesPerSecond(),
                        joined.rttNanos(),
                        joined.release()));
      }

      @Override
      public void misbehaved(String reason) {
        quarantined.tryComplete(reason);
      }
    };
  }

  /** A source that flips one bit per {@code period} bytes, or in every buffer when 0. */
  private record LyingSource(ByteSource honest, long period, Vertx vertx, long delayMillis)
      implements ByteSource {
    @Override
    public String name() {
      return "liar";
    }

    @Override
    public Future<Flow> open(io.bamqp.planner.ByteRange range) {
      return honest
          .open(range)
          .map(flow -> new LyingFlow(flow, range.first(), period, new long[1], vertx, delayMillis));
    }
  }

  /**
   * Flips one bit per {@code period} bytes, or in every buffer when 0; hands each buffer and the
   * end on {@code delayMillis} late, in order (at once when 0).
   */
  private record LyingFlow(
      Flow honest, long first, long period, long[] seen, Vertx vertx, long delayMillis)
      implements Flow {
    private void later(Runnable event) {
      if (delayMillis == 0) {
        event.run();
      } else {
        vertx.setTimer(delayMillis, fired -> event.run());
      }
    }

    @Override
    public void cancel() {
      honest.cancel();
    }

    @Override
    public Flow exceptionHandler(io.vertx.core.Handler<Throwable> handler) {
      honest.exceptionHandler(handler);
      return this;
    }

    @Override
    public Flow handler(io.vertx.core.Handler<io.vertx.core.buffer.Buffer> handler) {
      honest.handler(
          handler == null
              ? null
              : data -> {
                io.vertx.core.buffer.Buffer altered = data.copy();
                long at = first + seen[0];
                seen[0] += data.length();
                if (period == 0) {
                  altered.setByte(0, (byte) (altered.getByte(0) ^ 1));
                }
                if (period > 0) {
                  // One altered byte at the same place in every period of the file.
                  long k = at / period * period + 12_345;
                  for (k = k < at ? k + period : k; k < at + data.length(); k += period) {
                    int i = (int) (k - at);
                    altered.setByte(i, (byte) (altered.getByte(i) ^ 1));
                  }
                }
                later(() -> handler.handle(altered));
              });
      return this;
    }

    @Override
    public Flow pause() {
      honest.pause();
      return this;
    }

    @Override
    public Flow resume() {
      honest.resume();
      return this;
    }

    @Override
    public Flow fetch(long amount) {
      honest.fetch(amount);
      return this;
    }

    @Override
    public Flow endHandler(io.vertx.core.Handler<Void> handler) {
      honest.endHandler(handler == null ? null : end -> later(() -> handler.handle(end)));
      return this;
    }
  }

  private ReprDigest digestOf(io.vertx.core.MultiMap originHeaders, Verdict verdict) {
    io.vertx.core.MultiMap headers = originHeaders.copy();
    if (reprDigest != null) {
      headers.set("Repr-Digest", reprDigest);
    }
    if (olderDigest != null) {
      headers.set("Digest", olderDigest);
    }
    return ReprDigest.of(headers, verdict.download());
  }

  private static String base64(String hex) {
    return java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }

  private long openOriginConnections() {
    return origin.stats().values().stream().mapToLong(s -> s.openConnections()).sum();
  }

  /**
   * An origin client from {@code address}. A range that completed returns its connection to the
   * pool; a short keep-alive closes it soon after, so "every origin connection closed" means that
   * every cancelled fetch was closed, not that no range happened to complete first (under load).
   */
  private static HttpClientOptions lineOptions(String address) {
    return new HttpClientOptions().setLocalAddress(address).setKeepAliveTimeout(1);
  }

  /** An origin line from another loopback address, standing in for a neighbor. */
  private Neighbor line(String address) {
    HttpClient client = vertx.createHttpClient(lineOptions(address));
    return new Neighbor() {
      @Override
      public String name() {
        return "line:" + address;
      }

      @Override
      public Future<Joined> offer(
          String jobId, Eligibility.Download ignored, String url, long expectedMillis) {
        RequestOptions options = new RequestOptions().setAbsoluteURI(origin.url("/files/" + FILE));
        Eligibility.Download download =
            new Eligibility.Download(
                new io.bamqp.planner.ByteRange(0, FILE - 1),
                FILE,
                origin.content("/files/" + FILE).etag(),
                null,
                false);
        return Future.succeededFuture(
            new Joined(new HomeLine(client, options, download), 10_000_000, 1_000_000, () -> {}));
      }
    };
  }

  private String download(String path) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    HttpClient client = vertx.createHttpClient();
    Await.result(
        client
            .request(HttpMethod.GET, front.actualPort(), "127.0.0.1", path)
            .compose(r -> r.send())
            .compose(
                response -> {
                  response.handler(buffer -> digest.update(buffer.getBytes()));
                  return response.end();
                }));
    return HexFormat.of().formatHex(digest.digest());
  }

  private Throwable downloadFailure(String path) throws Exception {
    HttpClient client = vertx.createHttpClient();
    Promise<Throwable> failure = Promise.promise();
    client
        .request(HttpMethod.GET, front.actualPort(), "127.0.0.1", path)
        .compose(r -> r.send())
        .compose(
            response -> {
              MessageDigest digest = sha256();
              response.handler(buffer -> digest.update(buffer.getBytes()));
              return response.end().onSuccess(done -> lastSha256 = hex(digest.digest()));
            })
        .onComplete(done -> failure.complete(done.cause()));
    return Await.result(failure.future());
  }

  /** Reads at most {@code bytesPerSecond}, pausing the response between 64 KiB helpings. */
  private String downloadSlowly(String path, long bytesPerSecond) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    HttpClient client = vertx.createHttpClient();
    long started = System.nanoTime();
    long[] read = {0};
    Await.result(
        client
            .request(HttpMethod.GET, front.actualPort(), "127.0.0.1", path)
            .compose(r -> r.send())
            .compose(
                response -> {
                  response.handler(
                      buffer -> {
                        digest.update(buffer.getBytes());
                        read[0] += buffer.length();
                        long due = started + read[0] * 1_000_000_000L / bytesPerSecond;
                        long wait = (due - System.nanoTime()) / 1_000_000;
                        if (wait > 0) {
                          response.pause();
                          vertx.setTimer(wait, t -> response.resume());
                        }
                      });
                  return response.end();
                }));
    return HexFormat.of().formatHex(digest.digest());
  }
}
