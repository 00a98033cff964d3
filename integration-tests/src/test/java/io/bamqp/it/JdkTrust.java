package io.bamqp.it;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes this JVM's default trust store (the one every node in it uses for origin TLS when no CA is
 * configured) the given certificate, until closed. Stands in for {@code security.originCaFiles}
 * while a branch has no such setting; it changes the whole JVM, so only one test at a time may use
 * it.
 */
final class JdkTrust implements AutoCloseable {
  private static final String[] PROPERTIES = {
    "javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType"
  };
  private static final String PASSWORD = "bamqp-test";

  private final Map<String, String> previous = new TreeMap<>();

  private JdkTrust() {
    for (String property : PROPERTIES) {
      previous.put(property, System.getProperty(property));
    }
  }

  /** Trusts {@code pem} (and nothing else) for TLS the JVM's default trust store decides. */
  static JdkTrust only(Path pem, Path scratch) throws Exception {
    Certificate certificate;
    try (InputStream in = Files.newInputStream(pem)) {
      certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("origin", certificate);
    Path file = scratch.resolve("origin-trust.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, PASSWORD.toCharArray());
    }
    JdkTrust trust = new JdkTrust();
    System.setProperty("javax.net.ssl.trustStore", file.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    return trust;
  }

  @Override
  public void close() {
    previous.forEach(
        (property, value) -> {
          if (value == null) {
            System.clearProperty(property);
          } else {
            System.setProperty(property, value);
          }
        });
  }
}
