package io.bamqp.peer;

import io.bamqp.security.OriginTrust;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.TrustOptions;

/**
 * TLS towards origins for the Vert.x clients that fetch from them: the home's forward proxy and a
 * helper's range relay. An origin's certificate must chain to a CA of {@link OriginTrust} (the
 * system's, plus the private ones from {@code security.originCaFiles}) and name the host asked for;
 * there is no setting that skips either check.
 */
public final class OriginTls {
  private OriginTls() {}

  /**
   * Sets host-name verification and, when {@code trust} adds private CAs, its trust on {@code
   * client} (Vert.x replaces the JDK's default trust once trust options are set, so the trust given
   * is the union). Answers {@code client}.
   */
  public static HttpClientOptions apply(HttpClientOptions client, OriginTrust trust) {
    client.setVerifyHost(true);
    if (trust.addsPrivateCas()) {
      client.setTrustOptions(TrustOptions.wrap(trust.trustManagerFactory()));
    }
    return client;
  }
}
