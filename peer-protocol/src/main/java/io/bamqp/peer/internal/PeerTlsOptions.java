package io.bamqp.peer.internal;

import io.bamqp.peer.HelperLinkOptions;
import io.bamqp.peer.HelperOptions;
import io.bamqp.security.PeerTls;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.lang.System.Logger.Level;
import java.util.Set;

/**
 * The Vert.x side of peer TLS: TLS 1.3 only, both sides present their identity's certificate, a
 * helper requires a client certificate whose ID is trusted, a home pins the helper's ID instead of
 * verifying a host name. Without identities (the deprecated plain mode) the options are unchanged.
 */
final class PeerTlsOptions {
  private static final System.Logger LOG = System.getLogger("io.bamqp.peer");

  private PeerTlsOptions() {}

  /** The helper's listener options: its base options, its address, and TLS with identities. */
  static HttpServerOptions server(HelperOptions options) {
    HttpServerOptions server =
        new HttpServerOptions(options.serverOptions())
            .setHost(options.host())
            .setPort(options.port());
    if (!options.authenticated()) {
      return server;
    }
    server
        .setSsl(true)
        .setUseAlpn(false)
        .setEnabledSecureTransportProtocols(Set.of(PeerTls.PROTOCOL))
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(KeyCertOptions.wrap(PeerTls.keyManagerFactory(options.identity())))
        .setTrustOptions(
            TrustOptions.wrap(
                PeerTls.trustManagerFactory(
                    PeerTls.trusting(
                        options.trustedPeers(),
                        refused -> LOG.log(Level.INFO, refused.getMessage())))));
    return server;
  }

  /** Adds TLS towards the pinned helper to {@code client} when the link has identities. */
  static HttpClientOptions client(HttpClientOptions client, HelperLinkOptions options) {
    if (!options.authenticated()) {
      return client;
    }
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
