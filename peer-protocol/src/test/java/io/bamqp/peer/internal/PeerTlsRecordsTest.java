package io.bamqp.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.Identity;
import io.bamqp.security.PeerTls;
import io.bamqp.testbed.Await;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A helper's TLS layer encrypts whole records from slices of what it writes, copying nothing. */
class PeerTlsRecordsTest {
  private static final Identity HELPER = Identity.generate();
  private static final Identity HOME = Identity.generate();

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void theEngineTakesOneRecordWholeButNotTheProtocolsLimit() throws SSLException {
    SSLEngine helper =
        PeerTls.context(HELPER, PeerTls.pinned(HOME.id())).createSSLEngine("helper", 1);
    SSLEngine home = PeerTls.context(HOME, PeerTls.pinned(HELPER.id())).createSSLEngine("home", 1);
    helper.setUseClientMode(false);
    home.setUseClientMode(true);
    handshake(home, helper);

    // What Netty offers by default: 17 bytes stay behind, and used to start the next record.
    assertThat(wrapped(helper, 16_384))
        .as("what this JDK's TLS 1.3 engine puts in one record: RECORD_PLAINTEXT_BYTES must follow")
        .isEqualTo(PeerTlsOptions.RECORD_PLAINTEXT_BYTES);
    assertThat(wrapped(helper, PeerTlsOptions.RECORD_PLAINTEXT_BYTES))
        .as("one record's plaintext, taken whole")
        .isEqualTo(PeerTlsOptions.RECORD_PLAINTEXT_BYTES);
  }

  @Test
  void aConnectionOffersItsEngineOneRecordAtATime() throws Exception {
    HttpServer server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setHost("127.0.0.1")
                    .setPort(0)
                    .setSsl(true)
                    .setEnabledSecureTransportProtocols(Set.of(PeerTls.PROTOCOL))
                    .setKeyCertOptions(KeyCertOptions.wrap(PeerTls.keyManagerFactory(HELPER))))
            .connectionHandler(PeerTlsOptions::wrapWholeRecords)
            .requestHandler(
                request ->
                    request.response().end(Integer.toString(wrapDataSize(request.connection()))));
    int port = Await.result(server.listen()).actualPort();
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setVerifyHost(false)
                .setEnabledSecureTransportProtocols(Set.of(PeerTls.PROTOCOL))
                .setKeyCertOptions(KeyCertOptions.wrap(PeerTls.keyManagerFactory(HOME)))
                .setTrustOptions(
                    TrustOptions.wrap(PeerTls.trustManagerFactory(PeerTls.pinned(HELPER.id())))));

    Buffer answer =
        Await.result(
            client
                .request(HttpMethod.GET, port, "127.0.0.1", "/")
                .compose(request -> request.send())
                .compose(HttpClientResponse::body));

    assertThat(answer.toString())
        .isEqualTo(Integer.toString(PeerTlsOptions.RECORD_PLAINTEXT_BYTES));
  }

  /** What the connection's {@link SslHandler} hands its engine per record (Netty has no getter). */
  private static int wrapDataSize(HttpConnection connection) {
    SslHandler tls = ((ConnectionBase) connection).channel().pipeline().get(SslHandler.class);
    try {
      Field size = SslHandler.class.getDeclaredField("wrapDataSize");
      size.setAccessible(true);
      return size.getInt(tls);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("this Netty's SslHandler has no wrapDataSize", e);
    }
  }

  /** The plaintext bytes one wrap of {@code offered} zeros consumes. */
  private static int wrapped(SSLEngine engine, int offered) throws SSLException {
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    SSLEngineResult result = engine.wrap(ByteBuffer.allocate(offered), out);
    assertThat(result.getStatus()).isEqualTo(SSLEngineResult.Status.OK);
    return result.bytesConsumed();
  }

  /** Runs a handshake between two engines in memory. */
  private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
    ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
    ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
    client.beginHandshake();
    server.beginHandshake();
    for (int round = 0; round < 50 && !(done(client) && done(server)); round++) {
      step(client, toServer, toClient);
      step(server, toClient, toServer);
    }
    assertThat(done(client) && done(server)).as("handshake finished").isTrue();
  }

  private static boolean done(SSLEngine engine) {
    return engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
  }

  /** One engine's turn: read what the other sent, then send what it must. */
  private static void step(SSLEngine engine, ByteBuffer out, ByteBuffer in) throws SSLException {
    ByteBuffer app = ByteBuffer.allocate(1 << 17);
    in.flip();
    while (in.hasRemaining() && engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
      SSLEngineResult result = engine.unwrap(in, app);
      runTasks(engine);
      if (result.bytesConsumed() == 0) {
        break;
      }
    }
    in.compact();
    while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
      SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), out);
      runTasks(engine);
      if (result.bytesProduced() == 0) {
        break;
      }
    }
    runTasks(engine);
  }

  private static void runTasks(SSLEngine engine) {
    for (Runnable task = engine.getDelegatedTask();
        task != null;
        task = engine.getDelegatedTask()) {
      task.run();
    }
  }
}
