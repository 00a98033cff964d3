package io.bamqp.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Whom the node trusts for TLS to origins: the JVM's default CA certificates (its {@code cacerts},
 * or the store {@code javax.net.ssl.trustStore} names) plus the owner's private CAs, read from the
 * PEM files in {@code security.originCaFiles}. A private CA is added beside the system's, never
 * instead of it, and nothing here turns off a check: the chain must lead to one of these CAs, and
 * the TLS engine still verifies the host name (HTTPS endpoint identification) on top.
 *
 * <p>Reading files and the default store is blocking: build one off the event loop, once per start.
 * The result is immutable and safe to share.
 */
public final class OriginTrust {
  private static final String PEM_BEGIN = "-----BEGIN CERTIFICATE-----";

  private final List<X509Certificate> privateCas;
  private final X509ExtendedTrustManager manager;

  private OriginTrust(List<X509Certificate> privateCas, X509ExtendedTrustManager manager) {
    this.privateCas = List.copyOf(privateCas);
    this.manager = manager;
  }

  /** The JVM's default trust alone, as a client gets without any trust options. */
  public static OriginTrust system() {
    return build(List.of(), List.of());
  }

  /**
   * The JVM's default trust plus every certificate in {@code caFiles}.
   *
   * @throws UnusableCaFile for the first file that is missing, unreadable or not PEM certificates
   */
  public static OriginTrust withCaFiles(Collection<Path> caFiles) throws UnusableCaFile {
    List<X509Certificate> cas = new ArrayList<>();
    for (Path file : caFiles) {
      cas.addAll(readCaFile(file));
    }
    return build(caFiles, cas);
  }

  private static OriginTrust build(Collection<Path> files, List<X509Certificate> cas) {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (cas.isEmpty()) {
        factory.init((KeyStore) null);
      } else {
        factory.init(union(systemCas(), cas));
      }
      return new OriginTrust(cas, x509(factory.getTrustManagers()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the trust for origins from " + files, e);
    }
  }

  /**
   * The certificates in one PEM file (one or more {@code BEGIN CERTIFICATE} blocks).
   *
   * @throws UnusableCaFile naming the file and whether it is missing, unreadable or not PEM
   *     certificates
   */
  public static List<X509Certificate> readCaFile(Path file) throws UnusableCaFile {
    byte[] bytes;
    try {
      if (Files.isDirectory(file)) {
        throw new UnusableCaFile(file, "is a directory, not a PEM file", null);
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new UnusableCaFile(file, "no such file", e);
    } catch (AccessDeniedException e) {
      throw new UnusableCaFile(file, "cannot be read (permission denied)", e);
    } catch (IOException e) {
      throw new UnusableCaFile(file, "cannot be read (" + e.getMessage() + ")", e);
    }
    if (!new String(bytes, StandardCharsets.ISO_8859_1).contains(PEM_BEGIN)) {
      throw new UnusableCaFile(
          file, "not a PEM certificate (no " + PEM_BEGIN + " line in it)", null);
    }
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(bytes))) {
        certificates.add((X509Certificate) certificate);
      }
    } catch (CertificateException e) {
      throw new UnusableCaFile(file, "not a PEM certificate (" + oneLine(e.getMessage()) + ")", e);
    }
    if (certificates.isEmpty()) {
      throw new UnusableCaFile(file, "not a PEM certificate (no certificate in it)", null);
    }
    return List.copyOf(certificates);
  }

  /** The CA certificates added to the system's, in file order; empty for {@link #system()}. */
  public List<X509Certificate> privateCas() {
    return privateCas;
  }

  /** Whether any private CA is added: without one, a client may keep its default trust. */
  public boolean addsPrivateCas() {
    return !privateCas.isEmpty();
  }

  /** The trust manager: PKIX over the system's CAs and the private ones. */
  public X509ExtendedTrustManager trustManager() {
    return manager;
  }

  /** A factory handing out {@link #trustManager()}, for APIs that take factories (Vert.x). */
  public TrustManagerFactory trustManagerFactory() {
    return ManagerFactories.of(manager);
  }

  private static List<X509Certificate> systemCas() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    return List.of(x509(factory.getTrustManagers()).getAcceptedIssuers());
  }

  private static KeyStore union(List<X509Certificate> system, List<X509Certificate> added)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    int n = 0;
    for (X509Certificate ca : system) {
      store.setCertificateEntry("system-" + n++, ca);
    }
    n = 0;
    for (X509Certificate ca : added) {
      store.setCertificateEntry("origin-ca-" + n++, ca);
    }
    return store;
  }

  private static X509ExtendedTrustManager x509(TrustManager[] managers) {
    for (TrustManager manager : managers) {
      if (manager instanceof X509ExtendedTrustManager x509) {
        return x509;
      }
    }
    throw new IllegalStateException("the JDK's default trust manager factory has no X.509 manager");
  }

  private static String oneLine(String message) {
    return message == null ? "unreadable" : message.replaceAll("\\s+", " ").trim();
  }
}
