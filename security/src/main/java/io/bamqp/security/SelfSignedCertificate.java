package io.bamqp.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A node's certificate: self-signed by its Ed25519 identity key, subject {@code CN=bamqp <peer
 * ID>}. Nothing in it but the key matters: trust is the key's {@link PeerId} being listed, never a
 * CA. Its validity spans 2000 to 9999 (RFC 5280's "no well-defined expiration"), and peers do not
 * check dates at all: a router without a real-time clock boots in 1970.
 */
final class SelfSignedCertificate {
  private static final String ED25519_OID = EdECObjectIdentifiers.id_Ed25519.getId();
  private static final Date NOT_BEFORE = Date.from(Instant.parse("2000-01-01T00:00:00Z"));
  private static final Date NOT_AFTER = Date.from(Instant.parse("9999-12-31T23:59:59Z"));
  private static final int SERIAL_BYTES = 16;

  private SelfSignedCertificate() {}

  static X509Certificate create(PeerKey key, PrivateKey privateKey) {
    X500Name subject = new X500Name("CN=bamqp " + key.id());
    BigInteger serial = new BigInteger(1, Arrays.copyOf(PeerId.sha256(key.raw()), SERIAL_BYTES));
    SubjectPublicKeyInfo publicKey =
        new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), key.raw());
    try {
      byte[] der =
          new X509v3CertificateBuilder(subject, serial, NOT_BEFORE, NOT_AFTER, subject, publicKey)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .build(new JcaContentSignerBuilder("Ed25519").build(privateKey))
              .getEncoded();
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (IOException | OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make the identity's certificate", e);
    }
  }

  /** The key of {@code certificate} when it is a well-formed self-signed Ed25519 certificate. */
  static PeerKey check(Certificate certificate) throws CertificateException {
    if (!(certificate instanceof X509Certificate x509)) {
      throw new CertificateException("not an X.509 certificate: " + certificate.getType());
    }
    PeerKey key;
    try {
      key = PeerKey.of(x509.getPublicKey());
    } catch (IllegalArgumentException e) {
      throw new CertificateException("the certificate's key is not Ed25519");
    }
    if (!ED25519_OID.equals(x509.getSigAlgOID())
        || !x509.getSubjectX500Principal().equals(x509.getIssuerX500Principal())) {
      throw new CertificateException("peer " + key.id() + ": the certificate is not self-signed");
    }
    try {
      x509.verify(x509.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CertificateException(
          "peer " + key.id() + ": the certificate's signature does not verify with its own key");
    }
    return key;
  }
}
