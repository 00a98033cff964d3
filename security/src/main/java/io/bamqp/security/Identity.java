package io.bamqp.security;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * This node's identity: an Ed25519 key pair, the {@link PeerId} its public key names, and a
 * self-signed X.509 certificate of that key that the node presents in every peer TLS handshake.
 *
 * <p>The certificate is derived from the key alone (fixed subject, serial and dates; Ed25519 is
 * deterministic), so only the key is stored: {@code state.dir/identity.key}, PKCS#8 PEM,
 * owner-only. Immutable and thread-safe.
 */
public final class Identity {
  /** The key file's name inside the state directory. */
  public static final String KEY_FILE = "identity.key";

  private final Ed25519PrivateKeyParameters signingKey;
  private final PeerKey key;
  private final PrivateKey jdkKey;
  private final X509Certificate certificate;

  private Identity(Ed25519PrivateKeyParameters signingKey) {
    this.signingKey = signingKey;
    this.key = PeerKey.of(signingKey.generatePublicKey().getEncoded());
    try {
      this.jdkKey =
          KeyFactory.getInstance("Ed25519")
              .generatePrivate(new PKCS8EncodedKeySpec(IdentityFile.pkcs8(signingKey)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot load Ed25519 keys (needs Java 15+)", e);
    }
    this.certificate = SelfSignedCertificate.create(key, jdkKey);
  }

  /** A new identity from a fresh random key; nothing is stored. */
  public static Identity generate() {
    return new Identity(new Ed25519PrivateKeyParameters(new SecureRandom()));
  }

  /**
   * The identity stored in {@code keyFile}. Blocking.
   *
   * @throws IOException naming the file: unreadable, readable by group or others (with the {@code
   *     chmod} that fixes it), or not a PKCS#8 Ed25519 key
   */
  public static Identity load(Path keyFile) throws IOException {
    return new Identity(IdentityFile.read(keyFile));
  }

  /**
   * The identity in {@code stateDir/identity.key}, made and stored first if there is none: the
   * directory is created owner-only (0700) and the key file is owner-only (0600). Blocking: call it
   * at start-up, off the event loop.
   *
   * @throws IOException as {@link #load(Path)}, or when the key cannot be stored
   */
  public static Identity loadOrCreate(Path stateDir) throws IOException {
    Path keyFile = stateDir.resolve(KEY_FILE);
    IdentityFile.createDirectory(stateDir);
    if (!java.nio.file.Files.exists(keyFile)) {
      Identity fresh = generate();
      IdentityFile.write(keyFile, fresh.signingKey);
    }
    return load(keyFile);
  }

  /** This node's ID. */
  public PeerId id() {
    return key.id();
  }

  /** This node's public key. */
  public PeerKey key() {
    return key;
  }

  /** The self-signed certificate of the key, presented in peer TLS handshakes. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The key as a JDK key, for SunJSSE (package-private: only {@link PeerTls} hands it out). */
  PrivateKey privateKey() {
    return jdkKey;
  }

  /** The Ed25519 signature (64 bytes) of {@code message}. */
  public byte[] sign(byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, signingKey);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  @Override
  public String toString() {
    return "Identity[" + key.id() + "]";
  }
}
