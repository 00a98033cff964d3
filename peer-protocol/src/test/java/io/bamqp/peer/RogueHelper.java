package io.bamqp.peer;

import io.bamqp.peer.internal.Json;
import io.bamqp.security.ChunkSignature;
import io.bamqp.security.Identity;
import io.bamqp.security.PeerId;
import io.bamqp.security.PeerTls;
import io.bamqp.security.TrustedPeers;
import io.bamqp.testbed.Content;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.security.MessageDigest;
import java.util.Set;

/**
 * A real helper on loopback TLS that speaks the protocol and signs its chunks, and can be told to
 * misbehave in one chunk: the adversary of home's chunk checks, for unit tests here and for
 * integration tests against real proxy nodes (published in peer-protocol's test-jar).
 *
 * <p>It accepts every offer of a trusted home, and answers every range with the bytes of its {@link
 * Content} at the range's offsets (whatever the URL), framed and signed as {@link PeerProtocol}
 * says, over chunked transfer coding (so the body's framing, not {@code Content-Length}, is what
 * home checks). It does not check request signatures: it is not the one under test.
 */
public final class RogueHelper {

  /** How it misbehaves, in the chunk {@link #misbehave} names. */
  public enum Fault {
    /** Behaves. */
    NONE,
    /** Flips a byte and signs the altered bytes' hash: valid, but lying, and bound to the lie. */
    TAMPER_SIGNED,
    /**
     * Sends other bytes for the whole chunk, signed validly: a substituted file (only home's own
     * copy of the bytes can tell).
     */
    REPLACE_SIGNED,
    /** Flips a byte after hashing and signing the original: the hash does not match. */
    TAMPER_UNSIGNED,
    /** Signs with another key than its TLS identity's. */
    FOREIGN_SIGNATURE,
    /** Announces one byte more than the chunk holds. */
    WRONG_LENGTH,
    /** Sends bytes after the last chunk (whichever chunk was named). */
    EXTRA_BYTES,
    /** Sends half the chunk, then ends the body cleanly. */
    TRUNCATE,
    /** Sends the chunk one byte every {@link #TRICKLE_PERIOD_MILLIS} (slow-loris). */
    TRICKLE
  }

  /** The pace of {@link Fault#TRICKLE}: one byte per 200 ms. */
  public static final long TRICKLE_PERIOD_MILLIS = 200;

  private static final int EXTRA_BYTES = 10;
  private static final String VERSION = Integer.toString(PeerProtocol.VERSION);

  private final Vertx vertx;
  private final Identity identity;
  private final Content content;
  private final Identity stranger = Identity.generate();
  private volatile HttpServer server;
  private volatile Fault fault = Fault.NONE;
  private volatile long faultyChunk;

  private RogueHelper(Vertx vertx, Identity identity, Content content) {
    this.vertx = vertx;
    this.identity = identity;
    this.content = content;
  }

  /** Starts one on an ephemeral loopback port, serving {@code homes} with {@code content}. */
  public static Future<RogueHelper> start(
      Vertx vertx, Identity identity, TrustedPeers homes, Content content) {
    RogueHelper rogue = new RogueHelper(vertx, identity, content);
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost("127.0.0.1")
            .setPort(0)
            .setSsl(true)
            .setUseAlpn(false)
            .setEnabledSecureTransportProtocols(Set.of(PeerTls.PROTOCOL))
            .setClientAuth(ClientAuth.REQUIRED)
            .setKeyCertOptions(KeyCertOptions.wrap(PeerTls.keyManagerFactory(identity)))
            .setTrustOptions(
                TrustOptions.wrap(
                    PeerTls.trustManagerFactory(PeerTls.trusting(homes, refused -> {}))));
    return vertx
        .createHttpServer(options)
        .requestHandler(rogue::handle)
        .listen()
        .map(
            bound -> {
              rogue.server = bound;
              return rogue;
            });
  }

  /** {@link #misbehave}'s chunk index for "every chunk of every range". */
  public static final long EVERY_CHUNK = -1;

  /**
   * {@link #misbehave}'s chunk index for "wherever the file's offset is 12345 past a MiB boundary":
   * with {@link Fault#TAMPER_SIGNED}, one altered byte in every MiB of the file it serves.
   */
  public static final long ONE_BYTE_PER_MIB = -2;

  private static final long MIB = 1L << 20;
  private static final long MIB_OFFSET = 12_345;

  /**
   * From now on, commits {@code fault} in chunk {@code chunkIndex} (0-based, or {@link
   * #EVERY_CHUNK}) of every range.
   */
  public RogueHelper misbehave(Fault fault, long chunkIndex) {
    this.faultyChunk = chunkIndex;
    this.fault = fault;
    return this;
  }

  public int port() {
    return server.actualPort();
  }

  public PeerId id() {
    return identity.id();
  }

  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    HttpServerResponse response =
        request.response().putHeader(PeerProtocol.VERSION_HEADER, VERSION);
    request
        .body()
        .onSuccess(
            body -> {
              String path = request.path();
              if (request.method() == HttpMethod.POST && path.equals(PeerProtocol.JOBS_PATH)) {
                json(response, JobAnswer.accept(1_000_000));
              } else if (request.method() == HttpMethod.GET
                  && path.equals(PeerProtocol.PING_PATH)) {
                json(response, new PingAnswer(identity.id().toString(), true, 1_000_000));
              } else if (request.method() == HttpMethod.DELETE) {
                response.setStatusCode(204).end();
              } else if (path.endsWith("/ranges")) {
                range(request, path.split("/")[4], body);
              } else {
                response.setStatusCode(404).end();
              }
            });
  }

  private void range(HttpServerRequest request, String jobId, Buffer body) {
    HttpServerResponse response = request.response();
    RangeFetch fetch;
    PeerId home;
    try {
      fetch = Json.decode(body, RangeFetch.class, PeerErrorCode.BAD_REQUEST);
      home = PeerTls.peerOf(request.connection().sslSession()).id();
    } catch (Exception e) {
      response.setStatusCode(400).end();
      return;
    }
    response.setStatusCode(200).setChunked(true).putHeader("Content-Type", PeerProtocol.CHUNKS);
    long first = fetch.first();
    for (long index = 0; first <= fetch.last(); index++) {
      int length = (int) Math.min(PeerProtocol.CHUNK_BYTES, fetch.last() - first + 1);
      byte[] bytes = content.slice(first, length).getBytes();
      boolean faulty = faultyChunk == EVERY_CHUNK || index == faultyChunk;
      Fault now = faulty ? fault : Fault.NONE;
      if (now == Fault.TAMPER_SIGNED) {
        bytes[length / 2] ^= 1;
      }
      if (faultyChunk == ONE_BYTE_PER_MIB && fault == Fault.TAMPER_SIGNED) {
        long at = first / MIB * MIB + MIB_OFFSET;
        for (at = at < first ? at + MIB : at; at < first + length; at += MIB) {
          bytes[(int) (at - first)] ^= 1;
        }
      }
      if (now == Fault.REPLACE_SIGNED) {
        for (int i = 0; i < length; i++) {
          bytes[i] ^= (byte) 0x5a;
        }
      }
      byte[] hash = sha256(bytes);
      Identity signer = now == Fault.FOREIGN_SIGNATURE ? stranger : identity;
      byte[] signature =
          ChunkSignature.sign(
                  signer,
                  jobId,
                  fetch.url(),
                  first,
                  first + length - 1,
                  fetch.ifRange(),
                  hash,
                  home)
              .signature();
      if (now == Fault.TAMPER_UNSIGNED) {
        bytes[length / 2] ^= 1;
      }
      int announced = now == Fault.WRONG_LENGTH ? length + 1 : length;
      Buffer header = Buffer.buffer().appendInt(announced);
      Buffer trailer = Buffer.buffer(hash).appendBytes(signature);
      if (now == Fault.TRUNCATE) {
        response.end(header.appendBytes(bytes, 0, length / 2));
        return;
      }
      if (now == Fault.TRICKLE) {
        trickle(response, header.appendBytes(bytes).appendBuffer(trailer));
        return;
      }
      response.write(header.appendBytes(bytes).appendBuffer(trailer));
      first += length;
    }
    response.end(
        fault == Fault.EXTRA_BYTES ? Buffer.buffer(new byte[EXTRA_BYTES]) : Buffer.buffer());
  }

  private void trickle(HttpServerResponse response, Buffer frame) {
    int[] sent = {0};
    long timer =
        vertx.setPeriodic(
            TRICKLE_PERIOD_MILLIS,
            id -> {
              if (sent[0] < frame.length() && !response.closed()) {
                response.write(frame.getBuffer(sent[0], sent[0] + 1));
                sent[0]++;
              } else {
                vertx.cancelTimer(id);
              }
            });
    response.closeHandler(v -> vertx.cancelTimer(timer));
  }

  private static void json(HttpServerResponse response, Object message) {
    response.putHeader("Content-Type", PeerProtocol.JSON).end(Json.encode(message));
  }

  private static byte[] sha256(byte[] bytes) {
    MessageDigest digest = Content.newSha256();
    return digest.digest(bytes);
  }
}
