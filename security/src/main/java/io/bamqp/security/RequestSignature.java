package io.bamqp.security;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * A home's signature of one peer request, and the fields it covers: method, request target, SHA-256
 * of the body, the home's ID, the helper's ID (the audience), the home's clock and a random 128-bit
 * nonce. The bytes signed are {@link #signedBytes()}: the label {@value #LABEL}, then the fields in
 * that order, length-prefixed. A helper checks it with the key the TLS handshake authenticated, so
 * the signature proves (to the helper's owner, later, from the audit log) which neighbor asked.
 *
 * <p>Arrays are not copied; treat them as read-only.
 *
 * @param method the HTTP method, e.g. {@code POST}
 * @param target the request target as sent ({@code /bamqp/v1/jobs/j-1/ranges})
 * @param bodySha256 SHA-256 of the body (of no bytes when there is none)
 * @param home the signer
 * @param helper the audience: the only helper that may accept it
 * @param timeMillis the home's clock, Unix milliseconds
 * @param nonce {@value #NONCE_BYTES} random bytes
 * @param signature the home's Ed25519 signature of {@link #signedBytes()}
 */
public record RequestSignature(
    String method,
    String target,
    byte[] bodySha256,
    PeerId home,
    PeerId helper,
    long timeMillis,
    byte[] nonce,
    byte[] signature) {

  /** Domain separation: these signatures mean "this request", nothing else. */
  public static final String LABEL = "bamqp-request-v1";

  /** Bytes of a nonce (128 bits). */
  public static final int NONCE_BYTES = 16;

  private static final SecureRandom RANDOM = new SecureRandom();

  public RequestSignature {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(helper, "helper");
    if (bodySha256 == null || bodySha256.length != 32) {
      throw new IllegalArgumentException("bodySha256 must hold 32 bytes");
    }
    if (nonce == null || nonce.length != NONCE_BYTES) {
      throw new IllegalArgumentException("a nonce has " + NONCE_BYTES + " bytes");
    }
    if (signature == null || signature.length != PeerKey.SIGNATURE_BYTES) {
      throw new IllegalArgumentException("a signature has " + PeerKey.SIGNATURE_BYTES + " bytes");
    }
  }

  /** Signs a request from {@code home} to {@code helper} now, with a fresh nonce. */
  public static RequestSignature sign(
      Identity home, PeerId helper, String method, String target, byte[] body, long timeMillis) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] hash = sha256(body);
    byte[] signed = encode(method, target, hash, home.id(), helper, timeMillis, nonce);
    return new RequestSignature(
        method, target, hash, home.id(), helper, timeMillis, nonce, home.sign(signed));
  }

  /** SHA-256 of {@code bytes} ({@code null}: of no bytes). */
  public static byte[] sha256(byte[] bytes) {
    return PeerId.sha256(bytes == null ? new byte[0] : bytes);
  }

  /** The canonical bytes the signature covers. */
  public byte[] signedBytes() {
    return encode(method, target, bodySha256, home, helper, timeMillis, nonce);
  }

  /** Whether {@code key} is the home's and its signature covers these fields. */
  public boolean isSignedBy(PeerKey key) {
    return key.id().equals(home) && key.verifies(signedBytes(), signature);
  }

  private static byte[] encode(
      String method,
      String target,
      byte[] bodySha256,
      PeerId home,
      PeerId helper,
      long timeMillis,
      byte[] nonce) {
    return Canonical.labelled(LABEL)
        .text(method)
        .text(target)
        .bytes(bodySha256)
        .text(home.toString())
        .text(helper.toString())
        .number(timeMillis)
        .bytes(nonce)
        .toBytes();
  }
}
