package io.bamqp.security;

import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A peer's Ed25519 public key and the {@link PeerId} it names: what a node learns about a neighbor
 * from its TLS certificate, and what it checks that neighbor's signatures with. Immutable.
 */
public final class PeerKey {
  /** Bytes of a raw Ed25519 public key. */
  public static final int RAW_BYTES = 32;

  /** Bytes of an Ed25519 signature. */
  public static final int SIGNATURE_BYTES = 64;

  /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the raw key follows. */
  private static final byte[] SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private final byte[] raw;
  private final PeerId id;

  private PeerKey(byte[] raw) {
    this.raw = raw;
    this.id = PeerId.ofPublicKey(raw);
  }

  /** The key whose raw 32 bytes are {@code rawEd25519}. */
  public static PeerKey of(byte[] rawEd25519) {
    if (rawEd25519.length != RAW_BYTES) {
      throw new IllegalArgumentException(
          "an Ed25519 public key has 32 bytes, not " + rawEd25519.length);
    }
    return new PeerKey(rawEd25519.clone());
  }

  /**
   * The key inside a JDK {@link PublicKey}.
   *
   * @throws IllegalArgumentException when it is not an Ed25519 key
   */
  public static PeerKey of(PublicKey key) {
    byte[] spki = key.getEncoded();
    if (spki == null
        || spki.length != SPKI_PREFIX.length + RAW_BYTES
        || !Arrays.equals(spki, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
    }
    return new PeerKey(Arrays.copyOfRange(spki, SPKI_PREFIX.length, spki.length));
  }

  /**
   * The key of a peer's certificate, which must be a well-formed self-signed Ed25519 certificate
   * (see {@link PeerTls}); its validity dates are not checked, the key is what is pinned.
   */
  public static PeerKey ofCertificate(java.security.cert.Certificate certificate)
      throws CertificateException {
    return SelfSignedCertificate.check(certificate);
  }

  /** The ID this key names. */
  public PeerId id() {
    return id;
  }

  /** The raw 32 bytes (a copy). */
  public byte[] raw() {
    return raw.clone();
  }

  /** Whether {@code signature} is this key's Ed25519 signature of {@code message}. */
  public boolean verifies(byte[] message, byte[] signature) {
    if (signature == null || signature.length != SIGNATURE_BYTES) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, new Ed25519PublicKeyParameters(raw, 0));
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PeerKey key && Arrays.equals(key.raw, raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "PeerKey[" + id + "]";
  }
}
