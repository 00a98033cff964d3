package io.bamqp.peer.internal;

import io.bamqp.peer.HelperLinkOptions;
import io.bamqp.peer.HelperOptions;
import io.bamqp.peer.RateLimitedLog;
import io.bamqp.security.PeerTls;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.util.Set;

/**
 * The Vert.x side of peer TLS: TLS 1.3 only, both sides present their identity's certificate, a
 * helper requires a client certificate whose ID is trusted, a home pins the helper's ID instead of
 * verifying a host name.
 */
final class PeerTlsOptions {
  static final System.Logger LOG = System.getLogger("io.bamqp.peer");

  private PeerTlsOptions() {}

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
