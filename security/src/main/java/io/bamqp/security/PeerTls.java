package io.bamqp.security;

import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS material for links between peers, for JSSE (SunJSSE negotiates TLS 1.3 with Ed25519 keys
 * since Java 15): both sides present their identity's self-signed certificate and accept the other
 * by {@link PeerId} only. A helper accepts the IDs in its {@link TrustedPeers}; a home pins the one
 * ID it expects, which replaces host-name verification.
 *
 * <p>A refused peer fails the handshake with a {@link CertificateException} whose message names its
 * ID: {@code refused peer MFRGGZDF-...: not in peer.trusted}.
 */
public final class PeerTls {
  /** The only protocol peers speak. */
  public static final String PROTOCOL = "TLSv1.3";

  /** Why a helper refuses a home not in its set. */
  public static final String NOT_TRUSTED = "not in peer.trusted";

  /** The session value that holds the peer's key, once parsed. */
  private static final String PEER_KEY = PeerTls.class.getName() + ".peerKey";

  private PeerTls() {}

  /** Presents {@code identity}'s certificate in every handshake. */
  public static X509ExtendedKeyManager keyManager(Identity identity) {
    return new IdentityKeyManager(identity);
  }

  /**
   * Accepts the peers in {@code trusted} as it is at each handshake (a helper's view of homes);
   * {@code onRefused} hears every refusal (for one log line), on the handshake's thread.
   */
  public static X509ExtendedTrustManager trusting(
      TrustedPeers trusted, Consumer<CertificateException> onRefused) {
    return new PeerTrustManager(id -> trusted.contains(id) ? null : NOT_TRUSTED, onRefused);
  }

  /** Accepts only {@code expected} (a home's view of one helper). */
  public static X509ExtendedTrustManager pinned(PeerId expected) {
    return new PeerTrustManager(
        id -> id.equals(expected) ? null : "expected helper " + expected, refused -> {});
  }

  /** A factory handing out {@link #keyManager(Identity)}, for APIs that take factories. */
  public static KeyManagerFactory keyManagerFactory(Identity identity) {
    return ManagerFactories.of(keyManager(identity));
  }

  /** A factory handing out {@code trust}, for APIs that take factories. */
  public static TrustManagerFactory trustManagerFactory(TrustManager trust) {
    return ManagerFactories.of(trust);
  }

  /** A TLS 1.3 context with these managers, for plain JSSE sockets (tools, tests). */
  public static SSLContext context(Identity identity, TrustManager trust) {
    try {
      SSLContext context = SSLContext.getInstance(PROTOCOL);
      context.init(new KeyManager[] {keyManager(identity)}, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no " + PROTOCOL, e);
    }
  }

  /**
   * The authenticated peer of a TLS session. Its key is parsed from the certificate once and kept
   * in the session ({@link SSLSession#putValue}): a helper asks on every request of a connection.
   *
   * @throws SSLPeerUnverifiedException when the peer presented no usable certificate
   */
  public static PeerKey peerOf(SSLSession session) throws SSLPeerUnverifiedException {
    if (session.getValue(PEER_KEY) instanceof PeerKey known) {
      return known;
    }
    Certificate[] chain = session.getPeerCertificates();
    try {
      PeerKey key = PeerKey.ofCertificate(chain[0]);
      session.putValue(PEER_KEY, key);
      return key;
    } catch (CertificateException e) {
      throw new SSLPeerUnverifiedException(e.getMessage());
    }
  }
}
