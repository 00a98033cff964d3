package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.planner.ByteRange;
import io.bamqp.planner.PlannerConfig;
import io.bamqp.proxy.aggregation.Eligibility.Verdict;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.Line;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The session with Metalink piece hashes over real sockets, spot checks off: a neighbor that alters
 * a byte per MiB is caught on its first bad piece, before the client gets it, and every piece it
 * sent is fetched again, so the client gets the exact file; pieces that do not describe the file
 * never let it complete. The neighbor is an origin line from another loopback address whose flow
 * alters bytes.
 */
@Timeout(120)
class PieceHashSessionTest {
  private static final long FILE = 24 * Content.MIB;
  private static final String PATH = "/files/" + FILE;
  private static final int PIECE = 256 * 1024;

  private final Vertx vertx = Vertx.vertx();
  private TestOrigin origin;
  private HttpServer front;
  private final List<Neighbor> neighbors = new ArrayList<>();
  private final Promise<SessionReport> report = Promise.promise();
  private final List<DownloadSession> sessions = new CopyOnWriteArrayList<>();
  private volatile Future<Metalink.Pieces> pieces = Future.succeededFuture();

  @BeforeEach
  void start() throws Exception {
    origin =
        Await.result(
            TestOrigin.builder()
                .line("127.0.0.1", Line.ofMbps(80))
                .line("127.0.0.12", Line.ofMbps(160))
                .build()
                .start(vertx));
    HttpClient home = vertx.createHttpClient(new HttpClientOptions().setLocalAddress("127.0.0.1"));
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
                                request.response().setStatusCode(response.statusCode());
                                request.response().headers().addAll(response.headers());
                                DownloadSession session =
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
                                        .spotChecking(0)
                                        .checkingPieces(pieces);
                                sessions.add(session);
                                session
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
  void aNeighborAlteringOneBytePerMibIsCaughtOnAPieceAndTheClientGetsTheExactFile()
      throws Exception {
    pieces = Future.succeededFuture(piecesOf(Content.ofSize(FILE)));
    Promise<String> quarantined = Promise.promise();
    neighbors.add(liar(line("127.0.0.12"), quarantined));

    String sha256 = download();

    assertThat(sha256).as("never a wrong byte").isEqualTo(Content.ofSize(FILE).sha256Hex());
    assertThat(Await.result(quarantined.future()))
        .startsWith("a Metalink piece hash found liar's bytes in ")
        .contains("differ from the origin's (Metalink sha-256 piece ")
        .endsWith("confirmed by the home line)");
    assertThat(Await.result(report.future()).bytes()).isEqualTo(FILE);
    assertThat(sessions.get(0).stats().snapshot().notes()).contains(LiveDownload.METALINK_PIECES);
  }

  @Test
  void piecesThatArriveWhileTheBodyFlowsStillCheckEveryNeighborByte() throws Exception {
    Promise<Metalink.Pieces> late = Promise.promise();
    pieces = late.future();
    Metalink.Pieces published = piecesOf(Content.ofSize(FILE));
    Promise<String> quarantined = Promise.promise();
    neighbors.add(liar(line("127.0.0.12"), quarantined));
    HttpClient client = vertx.createHttpClient();
    MessageDigest digest = MessageDigest.getInstance("SHA-256");

    Await.result(
        client
            .request(HttpMethod.GET, front.actualPort(), "127.0.0.1", PATH)
            .compose(r -> r.send())
            .compose(
                response -> {
                  response.handler(
                      buffer -> {
                        digest.update(buffer.getBytes());
                        // The hashes arrive once the client has its first bytes.
                        late.tryComplete(published);
                      });
                  return response.end();
                }));

    assertThat(HexFormat.of().formatHex(digest.digest()))
        .isEqualTo(Content.ofSize(FILE).sha256Hex());
    assertThat(Await.result(quarantined.future())).contains("Metalink sha-256 piece");
  }

  @Test
  void piecesThatDoNotDescribeTheFileNeverLetTheDownloadComplete() throws Exception {
    pieces = Future.succeededFuture(piecesOf(Content.ofPath("/another/file", FILE)));
    neighbors.add(line("127.0.0.12"));

    Throwable failure = downloadFailure();

    assertThat(failure).as("the client saw the body end normally").isNotNull();
    assertThat(report.future().toCompletionStage().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(30))
        .withThrowableThat()
        .withMessageContaining("do not match its Metalink piece hash (sha-256)");
  }

  @Test
  void withoutPiecesOrSpotChecksTheSameNeighborsBytesReachTheClient() throws Exception {
    // What the pieces guard against: the same liar, nothing checking it.
    neighbors.add(liar(line("127.0.0.12"), Promise.promise()));

    String sha256 = download();

    assertThat(sha256).isNotEqualTo(Content.ofSize(FILE).sha256Hex());
  }

  private static Metalink.Pieces piecesOf(Content content) {
    List<byte[]> hashes = new ArrayList<>();
    for (long at = 0; at < FILE; at += PIECE) {
      hashes.add(HexFormat.of().parseHex(content.sha256Hex(at, Math.min(PIECE, FILE - at))));
    }
    return new Metalink.Pieces("sha-256", PIECE, FILE, hashes);
  }

  /** An origin line from another loopback address, standing in for a neighbor. */
  private Neighbor line(String address) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setLocalAddress(address));
    return new Neighbor() {
      @Override
      public String name() {
        return "line:" + address;
      }

      @Override
      public Future<Joined> offer(
          String jobId, Eligibility.Download ignored, String url, long expectedMillis) {
        RequestOptions options = new RequestOptions().setAbsoluteURI(origin.url(PATH));
        Eligibility.Download download =
            new Eligibility.Download(
                new ByteRange(0, FILE - 1), FILE, origin.content(PATH).etag(), null, false);
        return Future.succeededFuture(
            new Joined(new HomeLine(client, options, download), 20_000_000, 1_000_000, () -> {}));
      }
    };
  }

  /** A neighbor that flips the bit 12345 bytes past every MiB of what {@code honest} fetches. */
  private static Neighbor liar(Neighbor honest, Promise<String> quarantined) {
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
                        new ByteSource() {
                          @Override
                          public String name() {
                            return "liar";
                          }

                          @Override
                          public Future<Flow> open(ByteRange range) {
                            return joined
                                .source()
                                .open(range)
                                .map(flow -> new AlteringFlow(flow, range.first()));
                          }
                        },
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

  private static final class AlteringFlow implements Flow {
    private final Flow honest;
    private long at;

    AlteringFlow(Flow honest, long first) {
      this.honest = honest;
      this.at = first;
    }

    @Override
    public Flow handler(Handler<Buffer> handler) {
      honest.handler(
          handler == null
              ? null
              : data -> {
                Buffer altered = data.copy();
                long k = at / Content.MIB * Content.MIB + 12_345;
                for (k = k < at ? k + Content.MIB : k; k < at + data.length(); k += Content.MIB) {
                  int i = (int) (k - at);
                  altered.setByte(i, (byte) (altered.getByte(i) ^ 1));
                }
                at += data.length();
                handler.handle(altered);
              });
      return this;
    }

    @Override
    public void cancel() {
      honest.cancel();
    }

    @Override
    public Flow exceptionHandler(Handler<Throwable> handler) {
      honest.exceptionHandler(handler);
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
    public Flow endHandler(Handler<Void> handler) {
      honest.endHandler(handler);
      return this;
    }
  }

  private String download() throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    HttpClient client = vertx.createHttpClient();
    Await.result(
        client
            .request(HttpMethod.GET, front.actualPort(), "127.0.0.1", PATH)
            .compose(r -> r.send())
            .compose(
                response -> {
                  response.handler(buffer -> digest.update(buffer.getBytes()));
                  return response.end();
                }));
    return HexFormat.of().formatHex(digest.digest());
  }

  private Throwable downloadFailure() throws Exception {
    HttpClient client = vertx.createHttpClient();
    Promise<Throwable> failure = Promise.promise();
    client
        .request(HttpMethod.GET, front.actualPort(), "127.0.0.1", PATH)
        .compose(r -> r.send())
        .compose(
            response -> {
              response.handler(buffer -> {});
              return response.end();
            })
        .onComplete(done -> failure.complete(done.cause()));
    return Await.result(failure.future());
  }
}
