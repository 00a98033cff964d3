package io.bamqp.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for tests: an EC P-256 root that issues server certificates for
 * loopback names and addresses, as a company's or a NAS's private CA would. Shared with the
 * integration tests through this module's test-jar.
 *
 * <pre>{@code
 * PrivateCa ca = PrivateCa.create("test origins");
 * Path caFile = ca.writePem(dir.resolve("ca.pem"));       // for security.originCaFiles
 * PrivateCa.Leaf origin = ca.issue("localhost", "127.0.0.1"); // for the TLS origin
 * }</pre>
 */
public final class PrivateCa {
  private static final Duration VALIDITY = Duration.ofDays(2);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair keys;
  private final X509Certificate certificate;

  private PrivateCa(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A new root CA named {@code CN=<name>}, valid from an hour ago for two days. */
  public static PrivateCa create(String name) {
    KeyPair keys = ecKeys();
    X500Principal subject = new X500Principal("CN=" + name);
    X509v3CertificateBuilder builder = builder(subject, subject, keys);
    try {
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(
              Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return new PrivateCa(keys, sign(builder, keys.getPrivate()));
  }

  /** The CA's own certificate, the one a client adds to its trust. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA's certificate as PEM text. */
  public String certificatePem() {
    return pem("CERTIFICATE", encoded(certificate));
  }

  /** Writes {@link #certificatePem()} to {@code file} and answers it. */
  public Path writePem(Path file) {
    try {
      return Files.writeString(file, certificatePem(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A server certificate signed by this CA for {@code names}: host names become DNS names, IP
   * literals IP addresses in its subject alternative names.
   */
  public Leaf issue(String... names) {
    KeyPair leafKeys = ecKeys();
    X509v3CertificateBuilder builder =
        builder(
            new X500Principal("CN=" + names[0]), certificate.getSubjectX500Principal(), leafKeys);
    List<GeneralName> alternatives = new ArrayList<>();
    for (String name : names) {
      boolean ip = name.matches("[0-9.]+") || name.contains(":");
      alternatives.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, name));
    }
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(
              Extension.keyUsage,
              true,
              new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(
              Extension.extendedKeyUsage,
              false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(
              Extension.subjectAlternativeName,
              false,
              new GeneralNames(alternatives.toArray(GeneralName[]::new)))
          .addExtension(
              Extension.authorityKeyIdentifier,
              false,
              extensions.createAuthorityKeyIdentifier(certificate));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return new Leaf(sign(builder, keys.getPrivate()), leafKeys.getPrivate(), certificate);
  }

  /**
   * A server's certificate, its key and the CA that issued it.
   *
   * @param certificate the server's certificate
   * @param key its private key
   * @param issuer the CA's certificate
   */
  public record Leaf(X509Certificate certificate, PrivateKey key, X509Certificate issuer) {
    /** The server's certificate then the CA's, as PEM text: what a server sends. */
    public String chainPem() {
      return pem("CERTIFICATE", encoded(certificate)) + pem("CERTIFICATE", encoded(issuer));
    }

    /** The private key as PKCS#8 PEM text. */
    public String keyPem() {
      return pem("PRIVATE KEY", key.getEncoded());
    }

    /** An in-memory key store holding the key and chain under {@code "origin"}, for JSSE. */
    public KeyStore keyStore(char[] password) {
      try {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("origin", key, password, new X509Certificate[] {certificate, issuer});
        return store;
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static X509v3CertificateBuilder builder(
      X500Principal subject, X500Principal issuer, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(64, RANDOM),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(VALIDITY)),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair ecKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
