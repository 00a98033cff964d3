package io.bamqp.testbed;

import io.bamqp.testbed.internal.FaultState;
import io.bamqp.testbed.internal.LineShaper;
import io.bamqp.testbed.internal.OriginHandler;
import io.bamqp.testbed.internal.OriginVerticle;
import io.bamqp.testbed.internal.SourceCounters;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A deterministic, shapeable HTTP/1.1 origin for the demo, the tests and the benchmarks.
 *
 * <p>It serves files of any size whose bytes are a pure function of their offset ({@link Content}),
 * generated chunk by chunk with back-pressure, with strong validators and single byte ranges:
 *
 * <ul>
 *   <li>{@code GET|HEAD /files/{size}}: a fixed-length file, e.g. {@code /files/8MiB}, with {@code
 *       Content-Length}, {@code Accept-Ranges: bytes}, {@code ETag}, {@code Last-Modified}, {@code
 *       Range} (206/416) and {@code If-Range};
 *   <li>{@code GET|HEAD /chunked/{size}}: the same bytes with {@code Transfer-Encoding: chunked},
 *       no {@code Content-Length}, ranges ignored;
 *   <li>{@code GET|HEAD /status/{code}}: an empty answer with that status (200–599), e.g. 204;
 *   <li>{@code GET|HEAD /redirect/{code}?to=<percent-encoded URL>}: that 3xx status with {@code
 *       Location} set to the decoded {@code to} (absolute, or relative to the origin), e.g. {@code
 *       /redirect/302?to=%2Ffiles%2F8MiB};
 *   <li>any path registered with {@link Builder#file(String, long)}: like {@code /files}.
 *   <li>any path registered with {@link Builder#text(String, String)}: that text, as {@code
 *       text/plain} (a checksum file beside a download, say).
 *   <li>any path given headers with {@link Builder#header(String, String, String)} answers with
 *       them too (a {@code Link} to a Metalink, say).
 * </ul>
 *
 * <p>It speaks plain HTTP, or HTTPS with the certificate and key given to {@link Builder#tls}
 * (shaped and counted the same way: the line applies to the bytes inside TLS).
 *
 * <p>Each client connection is shaped by the {@link Line} of its source address: all connections
 * from one address share one token bucket, and every response head waits for the line's latency.
 * {@link #faults()} flips failure modes at runtime; {@link #stats(String)} tells what each address
 * received.
 *
 * <pre>{@code
 * TestOrigin origin = TestOrigin.builder()
 *     .line("127.0.0.11", Line.ofMbps(16).withLatency(Duration.ofMillis(20)))
 *     .line("127.0.0.12", Line.ofMbps(8))
 *     .build();
 * origin.start(vertx).onSuccess(o -> System.out.println(o.url("/files/64MiB")));
 * }</pre>
 *
 * <p>Each origin runs on one event loop of its own (it deploys a verticle). Its accessors and knobs
 * are safe to call from any thread.
 */
public final class TestOrigin {

  /** Default listening address: loopback only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** Default port: 0, an ephemeral port chosen at start; see {@link #port()}. */
  public static final int DEFAULT_PORT = 0;

  /**
   * Default size of one generated body chunk on an unshaped line, 64 KiB. On a rate-limited line
   * chunks are at most 16 KiB (less on lines slower than 1 MB/s) to keep the rate smooth.
   */
  public static final int DEFAULT_CHUNK_SIZE = 64 * 1024;

  private static final Future<String> CLOSED = Future.failedFuture("closed");

  private final String host;
  private final int requestedPort;
  private final int chunkSize;
  private final Map<String, Long> files;
  private final Map<String, String> texts;
  private final Map<String, Map<String, String>> headers;
  private final PemKeyCertOptions tls;
  private final LineShaper shaper;
  private final FaultState faultState = new FaultState();
  private final Faults faults = new Faults(faultState);
  private final SourceCounters counters = new SourceCounters();

  private final AtomicReference<Future<String>> deployment = new AtomicReference<>();
  private volatile Vertx vertx;
  private volatile OriginVerticle verticle;

  private TestOrigin(Builder b) {
    this.host = b.host;
    this.requestedPort = b.port;
    this.chunkSize = b.chunkSize;
    this.files = Map.copyOf(b.files);
    this.texts = Map.copyOf(b.texts);
    this.headers = Map.copyOf(b.headers);
    this.tls = b.tls;
    this.shaper = new LineShaper(b.lines, b.defaultLine);
  }

  /** A builder with every default: loopback, ephemeral port, no lines, no named files. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the server on an event loop of its own and answers this origin once it listens. An origin
   * starts at most once.
   *
   * @throws IllegalStateException if already started
   */
  public Future<TestOrigin> start(Vertx vertx) {
    Objects.requireNonNull(vertx, "vertx");
    OriginVerticle v =
        new OriginVerticle(
            host,
            requestedPort,
            tls == null
                ? new HttpServerOptions()
                : new HttpServerOptions().setSsl(true).setKeyCertOptions(tls),
            loop ->
                new OriginHandler(
                    loop, files, texts, headers, chunkSize, shaper, faultState, counters));
    Promise<String> deployed = Promise.promise();
    if (!deployment.compareAndSet(null, deployed.future())) {
      throw new IllegalStateException("already started");
    }
    this.vertx = vertx;
    this.verticle = v;
    vertx.deployVerticle(v).onComplete(deployed);
    return deployed.future().map(this);
  }

  /**
   * Stops listening and closes every connection, stalled ones included. Waits for a start in
   * progress; closing twice, or before starting, does nothing.
   */
  public Future<Void> close() {
    Future<String> deployed = deployment.getAndSet(CLOSED);
    if (deployed == null || deployed == CLOSED) {
      return Future.succeededFuture();
    }
    Vertx v = vertx;
    return deployed.transform(
        ar -> ar.succeeded() ? v.undeploy(ar.result()) : Future.succeededFuture());
  }

  /** The bound port, or -1 before {@link #start(Vertx)} completes. */
  public int port() {
    OriginVerticle v = verticle;
    return v == null ? -1 : v.actualPort();
  }

  /** The listening address. */
  public String host() {
    return host;
  }

  /** Whether it speaks HTTPS ({@link Builder#tls}). */
  public boolean tls() {
    return tls != null;
  }

  /**
   * An absolute URL on this origin, e.g. {@code url("/files/8MiB")}: {@code https://} when it
   * speaks TLS.
   */
  public String url(String path) {
    return (tls == null ? "http://" : "https://") + host + ':' + port() + path;
  }

  /** The runtime fault knobs. */
  public Faults faults() {
    return faults;
  }

  /** The object version now: 0 at start, one more after each version change. */
  public long version() {
    return faultState.version();
  }

  /**
   * What {@code path} serves now ({@code /files/{size}}, {@code /chunked/{size}} or a named file),
   * at the current version: the expected bytes, hash and ETag for a test to compare.
   *
   * @throws IllegalArgumentException if nothing is served at {@code path}
   */
  public Content content(String path) {
    Content file = OriginHandler.contentAt(path, files);
    if (file == null) {
      throw new IllegalArgumentException("no file at " + path);
    }
    return file.atVersion(version());
  }

  /** Shapes {@code address} with {@code line} from now on, for new and flowing responses alike. */
  public TestOrigin setLine(String address, Line line) {
    shaper.setLine(address, line);
    return this;
  }

  /** Gives {@code address} the default line again. */
  public TestOrigin removeLine(String address) {
    shaper.removeLine(address);
    return this;
  }

  /** The line applied to clients from {@code address}. */
  public Line lineFor(String address) {
    return shaper.lineFor(address);
  }

  /** A snapshot of what clients from {@code address} received; zeros for an unseen address. */
  public SourceStats stats(String address) {
    return counters.snapshot(address);
  }

  /** Snapshots of every address seen, sorted by address. */
  public Map<String, SourceStats> stats() {
    return counters.snapshot();
  }

  /** Body bytes sent to all addresses. */
  public long bytesSent() {
    return counters.totalBytes();
  }

  /** Times any response waited for a full write queue to drain, over all addresses. */
  public long writeQueueFullCount() {
    return counters.totalWriteQueueFull();
  }

  @Override
  public String toString() {
    return "TestOrigin{" + host + ':' + port() + ", version=" + version() + '}';
  }

  /** Options of a {@link TestOrigin}; every setter has a documented default. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private Line defaultLine = Line.UNSHAPED;
    private final Map<String, Line> lines = new LinkedHashMap<>();
    private final Map<String, Long> files = new LinkedHashMap<>();
    private final Map<String, String> texts = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> headers = new LinkedHashMap<>();
    private PemKeyCertOptions tls;

    private Builder() {}

    /** Address to listen on; default {@value TestOrigin#DEFAULT_HOST}. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** Port to listen on; default {@value TestOrigin#DEFAULT_PORT}, an ephemeral port. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port);
      }
      this.port = port;
      return this;
    }

    /** Body chunk size on unshaped lines; default {@value TestOrigin#DEFAULT_CHUNK_SIZE} bytes. */
    public Builder chunkSize(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("chunkSize: " + bytes);
      }
      this.chunkSize = bytes;
      return this;
    }

    /** Shapes clients from {@code address} (e.g. {@code "127.0.0.11"}) with {@code line}. */
    public Builder line(String address, Line line) {
      lines.put(Objects.requireNonNull(address, "address"), Objects.requireNonNull(line, "line"));
      return this;
    }

    /**
     * The line of every address without its own; default {@link Line#UNSHAPED}. Each such address
     * still gets a bucket of its own: the default is a kind of line, not one shared line.
     */
    public Builder defaultLine(Line line) {
      this.defaultLine = Objects.requireNonNull(line, "line");
      return this;
    }

    /**
     * Serves a file of {@code size} bytes at {@code path} (e.g. {@code "/releases/big.iso"}), with
     * the content {@link Content#ofPath(String, long)}.
     */
    public Builder file(String path, long size) {
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("path must start with '/': " + path);
      }
      if (size < 0) {
        throw new IllegalArgumentException("size < 0: " + size);
      }
      files.put(path, size);
      return this;
    }

    /** Also serves {@code body} as plain text at {@code path} (which must start with '/'). */
    public Builder text(String path, String body) {
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("path must start with '/': " + path);
      }
      texts.put(path, body);
      return this;
    }

    /**
     * Adds the header {@code name: value} to every response for {@code path} (a file's, a text's),
     * e.g. a {@code Link} to the file's Metalink; default: none.
     */
    public Builder header(String path, String name, String value) {
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("path must start with '/': " + path);
      }
      Map<String, String> copy = new LinkedHashMap<>(headers.getOrDefault(path, Map.of()));
      copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      headers.put(path, Map.copyOf(copy));
      return this;
    }

    /**
     * Serves HTTPS with this certificate chain (the server's certificate first, PEM) and its
     * private key (PKCS#8 or PKCS#1 PEM); default: plain HTTP. The certificate should name {@link
     * #host} (an IP SAN for {@value TestOrigin#DEFAULT_HOST}) for clients that verify host names.
     */
    public Builder tls(String certificateChainPem, String privateKeyPem) {
      this.tls =
          new PemKeyCertOptions()
              .addCertValue(Buffer.buffer(Objects.requireNonNull(certificateChainPem, "chain")))
              .addKeyValue(Buffer.buffer(Objects.requireNonNull(privateKeyPem, "key")));
      return this;
    }

    /** An origin with these options, not yet started. */
    public TestOrigin build() {
      return new TestOrigin(this);
    }
  }
}
