package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class IdentityTest {
  @TempDir Path tmp;

  @Test
  void anIdentityMadeOnceIsTheSameAfterReloading() throws IOException {
    Path state = tmp.resolve("state");

    Identity made = Identity.loadOrCreate(state);
    Identity again = Identity.loadOrCreate(state);

    assertThat(again.id()).isEqualTo(made.id());
    assertThat(Identity.load(state.resolve(Identity.KEY_FILE)).key()).isEqualTo(made.key());
    assertThat(again.certificate()).isEqualTo(made.certificate());
  }

  @Test
  void theStateDirectoryAndTheKeyFileAreOwnerOnly() throws IOException {
    Path state = tmp.resolve("a/b/state");

    Identity.loadOrCreate(state);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state)))
        .isEqualTo("rwx------");
    Path key = state.resolve(Identity.KEY_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void aKeyFileReadableByOthersIsRefusedWithTheChmodThatFixesIt() throws IOException {
    Identity.loadOrCreate(tmp);
    Path key = tmp.resolve(Identity.KEY_FILE);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> Identity.loadOrCreate(tmp))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining("chmod 600 " + key);
  }

  @Test
  void aCorruptKeyFileIsRefusedNamingIt() throws IOException {
    Path key = tmp.resolve(Identity.KEY_FILE);
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

    assertThatThrownBy(() -> Identity.loadOrCreate(tmp))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining("not a PKCS#8 Ed25519 private key");
  }

  @Test
  void theCertificateIsSelfSignedByTheKeyItsPeerIdNames() throws Exception {
    Identity identity = Identity.generate();
    X509Certificate certificate = identity.certificate();

    certificate.verify(certificate.getPublicKey());
    assertThat(PeerKey.of(certificate.getPublicKey()).id()).isEqualTo(identity.id());
    assertThat(PeerKey.ofCertificate(certificate).id()).isEqualTo(identity.id());
    assertThat(certificate.getSubjectX500Principal().getName()).contains(identity.id().toString());
  }

  @Test
  void aSignatureVerifiesWithTheIdentitysKeyForItsMessageOnly() {
    Identity identity = Identity.generate();
    byte[] message = {1, 2, 3};

    byte[] signature = identity.sign(message);

    assertThat(identity.key().verifies(message, signature)).isTrue();
    assertThat(identity.key().verifies(new byte[] {1, 2, 4}, signature)).isFalse();
    assertThat(Identity.generate().key().verifies(message, signature)).isFalse();
  }
}
