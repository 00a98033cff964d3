package io.bamqp.security;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts a peer, in either direction, iff it presents exactly one well-formed self-signed Ed25519
 * certificate and its key's {@link PeerId} passes {@code refusal} (which answers null to accept, or
 * why not). No CA, no dates, no host name: the ID is the pin.
 */
final class PeerTrustManager extends X509ExtendedTrustManager {
  private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

  private final Function<PeerId, String> refusal;
  private final Consumer<CertificateException> onRefused;

  PeerTrustManager(Function<PeerId, String> refusal, Consumer<CertificateException> onRefused) {
    this.refusal = refusal;
    this.onRefused = onRefused;
  }

  private void check(X509Certificate[] chain) throws CertificateException {
    try {
      if (chain == null || chain.length != 1) {
        throw new CertificateException(
            "a peer presents exactly one self-signed certificate, not "
                + (chain == null ? 0 : chain.length));
      }
      PeerId id = SelfSignedCertificate.check(chain[0]).id();
      String why = refusal.apply(id);
      if (why != null) {
        throw new CertificateException("refused peer " + id + ": " + why);
      }
    } catch (CertificateException e) {
      onRefused.accept(e);
      throw e;
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return NO_ISSUERS;
  }
}
