package io.bamqp.peer.internal;

import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.security.Identity;
import io.bamqp.security.NonceCache;
import io.bamqp.security.PeerId;
import io.bamqp.security.PeerKey;
import io.bamqp.security.PeerTls;
import io.bamqp.security.RequestSignature;
import io.bamqp.security.TrustedPeers;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who sent a request, proven: the TLS session's certificate names the home, which must still be
 * trusted; its {@code Bamqp-Signature} must be that home's over this method, target and body,
 * addressed to this helper, within the time window, with a nonce never seen. Confined to the
 * helper's event loop (it owns the {@link NonceCache}).
 */
final class RequestAuth {

  /** An authenticated request: its home and the signature that proves it asked. */
  record Caller(PeerKey key, RequestSignature signature) {
    PeerId id() {
      return key.id();
    }
  }

  private final Identity self;
  private final TrustedPeers trusted;
  private final NonceCache nonces = new NonceCache();

  RequestAuth(Identity self, TrustedPeers trusted) {
    this.self = self;
    this.trusted = trusted;
  }

  PeerId self() {
    return self.id();
  }

  Caller check(HttpServerRequest request, Buffer body) throws PeerException {
    PeerKey key = tlsPeer(request);
    if (!trusted.contains(key.id())) {
      throw new PeerException(
          PeerErrorCode.NOT_TRUSTED, "peer " + key.id() + " is " + PeerTls.NOT_TRUSTED);
    }
    RequestSignature signature =
        SignatureHeader.parse(
            request.getHeader(io.bamqp.peer.PeerProtocol.SIGNATURE_HEADER),
            request.method().name(),
            request.uri(),
            RequestSignature.sha256(body.getBytes()),
            key.id());
    if (!signature.helper().equals(self.id())) {
      throw new PeerException(
          PeerErrorCode.WRONG_AUDIENCE,
          "the request is signed for helper " + signature.helper() + ", this is " + self.id());
    }
    if (!signature.isSignedBy(key)) {
      throw new PeerException(
          PeerErrorCode.BAD_SIGNATURE,
          "the signature is not " + key.id() + "'s over this method, target and body");
    }
    long now = System.currentTimeMillis();
    switch (nonces.check(key.id(), signature.nonce(), signature.timeMillis(), now)) {
      case OUTSIDE_WINDOW ->
          throw new PeerException(
              PeerErrorCode.OUTSIDE_TIME_WINDOW,
              "signed at "
                  + Instant.ofEpochMilli(signature.timeMillis())
                  + ", this helper's clock says "
                  + Instant.ofEpochMilli(now)
                  + "; allowed ±"
                  + nonces.window().toSeconds()
                  + " s (check both clocks)");
      case REPLAYED ->
          throw new PeerException(
              PeerErrorCode.REPLAYED, "this request's nonce was already used: a replay");
      case FRESH -> {
        // accepted
      }
    }
    return new Caller(key, signature);
  }

  private static PeerKey tlsPeer(HttpServerRequest request) throws PeerException {
    SSLSession session = request.connection().sslSession();
    try {
      if (session == null) {
        throw new SSLPeerUnverifiedException("no TLS session");
      }
      return PeerTls.peerOf(session);
    } catch (SSLPeerUnverifiedException e) {
      throw new PeerException(
          PeerErrorCode.NOT_TRUSTED, "no authenticated peer certificate: " + e.getMessage());
    }
  }
}
