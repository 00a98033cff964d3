package io.bamqp.peer.internal;

import io.bamqp.peer.HelperLinkOptions;
import io.bamqp.peer.HelperOptions;
import io.bamqp.peer.RateLimitedLog;
import io.bamqp.security.PeerTls;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Set;

/**
 * The Vert.x side of peer TLS: TLS 1.3 only, both sides present their identity's certificate, a
 * helper requires a client certificate whose ID is trusted, a home pins the helper's ID instead of
 * verifying a host name.
 */
final class PeerTlsOptions {
  static final System.Logger LOG = System.getLogger("io.bamqp.peer");

  /**
   * The plaintext bytes one TLS 1.3 record carries from the JDK's engine: 16,367, not the 16,384 of
   * the protocol's limit (JDK 17 and 25 alike; {@code PeerTlsRecordsTest} checks it on the JDK that
   * runs the build). Netty hands the engine 16,384 at a time; the 17 left over went back to the
   * head of its queue, and the next record began with them, copied with the 16,367 behind them into
   * a fresh 16 KiB heap buffer: a copy and 16 KiB of garbage for every record a helper sent home.
   */
  static final int RECORD_PLAINTEXT_BYTES = 16_384 - 17;

  private PeerTlsOptions() {}

  /**
   * Makes {@code connection}'s TLS layer hand the engine one record's plaintext at a time ({@link
   * #RECORD_PLAINTEXT_BYTES}), so a large write is encrypted from slices of itself; only a last,
   * partial record is copied. A connection without TLS is left as it is.
   */
  static void wrapWholeRecords(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      SslHandler tls = base.channel().pipeline().get(SslHandler.class);
      if (tls != null) {
        tls.setWrapDataSize(RECORD_PLAINTEXT_BYTES);
      }
    }
  }

  /**
   * The helper's listener options: its base options, its address, and peer TLS. Each refused
   * handshake is told to {@code refusals}: anyone on the network can cause one.
   */
  static HttpServerOptions server(HelperOptions options, RateLimitedLog refusals) {
    return new HttpServerOptions(options.serverOptions())
        .setHost(options.host())
        .setPort(options.port())
        .setSsl(true)
        .setUseAlpn(false)
        .setEnabledSecureTransportProtocols(Set.of(PeerTls.PROTOCOL))
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(KeyCertOptions.wrap(PeerTls.keyManagerFactory(options.identity())))
        .setTrustOptions(
            TrustOptions.wrap(
                PeerTls.trustManagerFactory(
                    PeerTls.trusting(
                        options.trustedPeers(), refused -> refusals.log(refused.getMessage())))));
  }

  /** Adds TLS towards the pinned helper to {@code client}. */
  static HttpClientOptions client(HttpClientOptions client, HelperLinkOptions options) {
    return client
        .setSsl(true)
        .setUseAlpn(false)
        .setVerifyHost(false)
        .setEnabledSecureTransportProtocols(Set.of(PeerTls.PROTOCOL))
        .setKeyCertOptions(KeyCertOptions.wrap(PeerTls.keyManagerFactory(options.identity())))
        .setTrustOptions(
            TrustOptions.wrap(
                PeerTls.trustManagerFactory(PeerTls.pinned(options.expectedHelper()))));
  }
}
