package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real JSSE handshakes on loopback against a server whose certificate a private CA issued. */
@Timeout(30)
class OriginTrustTest {
  private static final int DEADLINE_MILLIS = 10_000;
  private static final char[] PASSWORD = "test".toCharArray();
  private static PrivateCa ca;
  private static PrivateCa.Leaf origin;

  @TempDir Path dir;

  @BeforeAll
  static void issue() {
    ca = PrivateCa.create("bamqp test CA");
    origin = ca.issue("localhost", "127.0.0.1");
  }

  @Test
  void anOriginIssuedByTheCaInTheFileIsTrustedByNameAndByAddress() throws Exception {
    OriginTrust trust = OriginTrust.withCaFiles(List.of(ca.writePem(dir.resolve("ca.pem"))));

    assertThat(handshake(trust, "localhost")).isEqualTo(origin.certificate());
    assertThat(handshake(trust, "127.0.0.1")).isEqualTo(origin.certificate());
  }

  @Test
  void withoutTheCaFileTheSameOriginIsRefused() {
    assertThatThrownBy(() -> handshake(OriginTrust.system(), "localhost"))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("PKIX path building failed");
  }

  @Test
  void theCaDoesNotExcuseAHostNameTheCertificateDoesNotName() throws Exception {
    OriginTrust trust = OriginTrust.withCaFiles(List.of(ca.writePem(dir.resolve("ca.pem"))));

    assertThatThrownBy(() -> handshake(trust, "other.test"))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("other.test");
  }

  @Test
  void theSystemsCasStayTrustedBesideThePrivateOne() throws Exception {
    List<X509Certificate> system =
        List.of(OriginTrust.system().trustManager().getAcceptedIssuers());
    OriginTrust trust = OriginTrust.withCaFiles(List.of(ca.writePem(dir.resolve("ca.pem"))));

    assertThat(system).isNotEmpty();
    assertThat(trust.trustManager().getAcceptedIssuers())
        .hasSize(system.size() + 1)
        .containsAll(system)
        .contains(ca.certificate());
    assertThat(trust.privateCas()).containsExactly(ca.certificate());
    assertThat(OriginTrust.system().addsPrivateCas()).isFalse();
  }

  @Test
  void aFileWithSeveralCertificatesAddsEachOfThem() throws Exception {
    PrivateCa other = PrivateCa.create("another CA");
    Path both =
        Files.writeString(dir.resolve("both.pem"), ca.certificatePem() + other.certificatePem());

    assertThat(OriginTrust.readCaFile(both)).containsExactly(ca.certificate(), other.certificate());
  }

  @Test
  void aMissingFileIsNamedWithItsProblem() {
    Path missing = dir.resolve("nope.pem");

    assertThatThrownBy(() -> OriginTrust.withCaFiles(List.of(missing)))
        .isInstanceOf(UnusableCaFile.class)
        .hasMessage(missing + ": no such file");
  }

  @Test
  void aDirectoryIsNotACaFile() {
    assertThatThrownBy(() -> OriginTrust.readCaFile(dir))
        .isInstanceOf(UnusableCaFile.class)
        .hasMessage(dir + ": is a directory, not a PEM file");
  }

  @Test
  void aKeyOrAnythingElseWithoutACertificateBlockIsNotAPemCertificate() throws Exception {
    Path key = Files.writeString(dir.resolve("key.pem"), origin.keyPem());

    assertThatThrownBy(() -> OriginTrust.readCaFile(key))
        .isInstanceOf(UnusableCaFile.class)
        .hasMessage(key + ": not a PEM certificate (no -----BEGIN CERTIFICATE----- line in it)");
  }

  @Test
  void aDamagedCertificateBlockIsNotAPemCertificate() throws Exception {
    Path broken =
        Files.writeString(
            dir.resolve("broken.pem"),
            "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");

    assertThatThrownBy(() -> OriginTrust.readCaFile(broken))
        .isInstanceOf(UnusableCaFile.class)
        .hasMessageStartingWith(broken + ": not a PEM certificate (");
  }

  /**
   * Connects to a loopback server presenting {@link #origin} as {@code host} (host-name
   * verification on, as an HTTPS client does) and answers the certificate the client accepted.
   */
  private static X509Certificate handshake(OriginTrust trust, String host) throws Exception {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(origin.keyStore(PASSWORD), PASSWORD);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(keys.getKeyManagers(), null, null);
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, new TrustManager[] {trust.trustManager()}, null);

    try (SSLServerSocket server =
        (SSLServerSocket)
            serverContext
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(DEADLINE_MILLIS);
      CompletableFuture<Void> served =
          CompletableFuture.runAsync(
              () -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                  accepted.setSoTimeout(DEADLINE_MILLIS);
                  accepted.startHandshake();
                } catch (Exception refusedByTheClient) {
                  // the client's verdict is what the test reads
                }
              });
      try (Socket plain = new Socket()) {
        plain.connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
            DEADLINE_MILLIS);
        plain.setSoTimeout(DEADLINE_MILLIS);
        try (SSLSocket client =
            (SSLSocket)
                clientContext
                    .getSocketFactory()
                    .createSocket(plain, host, server.getLocalPort(), false)) {
          SSLParameters parameters = client.getSSLParameters();
          parameters.setEndpointIdentificationAlgorithm("HTTPS");
          client.setSSLParameters(parameters);
          client.startHandshake();
          return (X509Certificate) client.getSession().getPeerCertificates()[0];
        }
      } finally {
        served.join();
      }
    }
  }
}
