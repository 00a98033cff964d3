package io.bamqp.peer;

import io.bamqp.peer.internal.Json;
import io.bamqp.peer.internal.SignatureHeader;
import io.bamqp.security.Cidr;
import io.bamqp.security.DestinationPolicy;
import io.bamqp.security.Identity;
import io.bamqp.security.OwnSockets;
import io.bamqp.security.PeerId;
import io.bamqp.security.PeerTls;
import io.bamqp.security.RequestSignature;
import io.bamqp.security.TrustedPeers;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.TestOrigin;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Vert.x, one test origin, and the helpers and links a test starts, all closed by {@link
 * #close()}. Every wait has a deadline.
 */
final class PeerTestBed implements AutoCloseable {
  /** The home every test link speaks as; every helper of {@link #sharingHelper()} trusts it. */
  static final Identity HOME = Identity.generate();

  final Vertx vertx = Vertx.vertx();
  final TestOrigin origin;
  private final List<HelperServer> helpers = new ArrayList<>();
  private final Map<HelperServer, HelperOptions> helperOptions = new HashMap<>();
  private final List<HelperLink> links = new ArrayList<>();
  private final List<HttpServer> webServers = new ArrayList<>();

  PeerTestBed() {
    origin = Await.result(TestOrigin.builder().build().start(vertx));
  }

  /** The owner's explicit opening of loopback for the test bed (not a hidden switch). */
  static DestinationPolicy loopbackPolicy() {
    return DestinationPolicy.create(List.of(Cidr.parse("127.0.0.0/8")), OwnSockets.read());
  }

  /**
   * Options of a sharing helper with an identity of its own that trusts {@link #HOME}, on an
   * ephemeral loopback port, fast enough not to matter.
   */
  static HelperOptions.Builder sharingHelper() {
    return sharingHelper(loopbackPolicy(), Identity.generate(), TrustedPeers.of(Set.of(HOME.id())));
  }

  /** Options of a sharing helper as {@link #sharingHelper()}, with these required parts. */
  static HelperOptions.Builder sharingHelper(
      DestinationPolicy policy, Identity identity, TrustedPeers trusted) {
    return HelperOptions.builder(policy, identity, trusted)
        .listen("127.0.0.1", 0)
        .sharing(true, 10_000, HelperOptions.DEFAULT_MAX_CONCURRENT_JOBS);
  }

  HelperServer startHelper(HelperOptions.Builder builder) {
    HelperOptions options = builder.build();
    HelperServer helper = Await.result(HelperServer.start(vertx, options));
    helpers.add(helper);
    helperOptions.put(helper, options);
    return helper;
  }

  /** The ID of a helper this bed started. */
  PeerId idOf(HelperServer helper) {
    return helperOptions.get(helper).identity().id();
  }

  /** A link from {@link #HOME} to {@code helper}, pinned to its ID. */
  HelperLink link(HelperServer helper) {
    return link(linkOptions(helper));
  }

  HelperLinkOptions linkOptions(HelperServer helper) {
    return HelperLinkOptions.builder("127.0.0.1", helper.port(), HOME, idOf(helper)).build();
  }

  HelperLink link(HelperLinkOptions options) {
    HelperLink link = HelperLink.create(vertx, options);
    links.add(link);
    return link;
  }

  /**
   * Starts a plain web server behind peer TLS: it presents {@code identity}'s certificate, as a
   * helper would, but answers every request with a 404 and no bamqp header. Answers its port.
   */
  int startWebServer(Identity identity) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost("127.0.0.1")
            .setPort(0)
            .setSsl(true)
            .setUseAlpn(false)
            .setEnabledSecureTransportProtocols(Set.of(PeerTls.PROTOCOL))
            .setKeyCertOptions(KeyCertOptions.wrap(PeerTls.keyManagerFactory(identity)));
    HttpServer server =
        Await.result(
            vertx
                .createHttpServer(options)
                .requestHandler(request -> request.response().setStatusCode(404).end("not found"))
                .listen());
    webServers.add(server);
    return server.actualPort();
  }

  /** A valid {@code Bamqp-Signature} of {@link #HOME} for {@code helper}. */
  static String signature(
      PeerId helper, String method, String target, String body, long timeMillis) {
    return SignatureHeader.format(
        RequestSignature.sign(
            HOME,
            helper,
            method,
            target,
            body == null ? null : body.getBytes(StandardCharsets.UTF_8),
            timeMillis));
  }

  /** A fetch of {@code first..last} of {@code path} at the origin's current version. */
  RangeFetch rangeOf(String path, long first, long last) {
    Content content = origin.content(path);
    return new RangeFetch(origin.url(path), first, last, content.size(), content.etag(), null);
  }

  /** Reads a range stream to its end into a hash and a count; fails when the stream fails. */
  static Future<Received> drain(RangeStream stream) {
    Promise<Received> done = Promise.promise();
    MessageDigest sha256 = Content.newSha256();
    long[] count = {0};
    stream.exceptionHandler(done::tryFail);
    stream.endHandler(v -> done.tryComplete(new Received(count[0], hex(sha256.digest()))));
    stream.handler(
        chunk -> {
          count[0] += chunk.length();
          sha256.update(chunk.getBytes());
        });
    return done.future();
  }

  /** What a drained range held. */
  record Received(long bytes, String sha256Hex) {}

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * Sends a raw request to a helper, {@code version} as Bamqp-Protocol ({@code null}: none), signed
   * by {@link #HOME} now.
   */
  RawAnswer raw(HelperServer helper, String method, String path, String version, String json) {
    String signature = signature(idOf(helper), method, path, json, System.currentTimeMillis());
    return raw(helper, method, path, version, json, signature);
  }

  /**
   * Sends a raw request with {@code signature} as its Bamqp-Signature ({@code null}: none), over
   * TLS as {@link #HOME}. Runs on one context, so the response cannot end before its body is asked
   * for.
   */
  RawAnswer raw(
      HelperServer helper,
      String method,
      String path,
      String version,
      String json,
      String signature) {
    HttpClientOptions clientOptions =
        new HttpClientOptions()
            .setSsl(true)
            .setVerifyHost(false)
            .setKeyCertOptions(KeyCertOptions.wrap(PeerTls.keyManagerFactory(HOME)))
            .setTrustOptions(
                TrustOptions.wrap(PeerTls.trustManagerFactory(PeerTls.pinned(idOf(helper)))));
    HttpClient client = vertx.createHttpClient(clientOptions);
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(method))
            .setHost("127.0.0.1")
            .setPort(helper.port())
            .setURI(path);
    if (version != null) {
      request.putHeader(PeerProtocol.VERSION_HEADER, version);
    }
    if (signature != null) {
      request.putHeader(PeerProtocol.SIGNATURE_HEADER, signature);
    }
    Promise<RawAnswer> answer = Promise.promise();
    vertx
        .getOrCreateContext()
        .runOnContext(
            v ->
                client
                    .request(request)
                    .compose(r -> json == null ? r.send() : r.send(json))
                    .compose(
                        r ->
                            r.body()
                                .map(
                                    body ->
                                        new RawAnswer(
                                            r.statusCode(),
                                            r.getHeader(PeerProtocol.VERSION_HEADER),
                                            body,
                                            tlsProtocol(r))))
                    .onComplete(answer));
    try {
      return Await.result(answer.future());
    } finally {
      Await.result(client.close());
    }
  }

  private static String tlsProtocol(HttpClientResponse response) {
    javax.net.ssl.SSLSession session = response.request().connection().sslSession();
    return session == null ? null : session.getProtocol();
  }

  /** A raw answer: status, its Bamqp-Protocol header, body and TLS protocol (null: none). */
  record RawAnswer(int status, String version, Buffer body, String tls) {
    PeerError error() {
      try {
        return Json.decode(body, PeerError.class, PeerErrorCode.BAD_ANSWER);
      } catch (PeerException e) {
        throw new AssertionError("not a PeerError: " + body, e);
      }
    }
  }

  @Override
  public void close() {
    links.forEach(link -> Await.result(link.close()));
    helpers.forEach(helper -> Await.result(helper.close()));
    webServers.forEach(server -> Await.result(server.close()));
    Await.result(origin.close());
    Await.result(vertx.close());
  }
}
