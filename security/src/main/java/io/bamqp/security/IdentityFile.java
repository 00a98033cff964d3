package io.bamqp.security;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.openssl.PEMParser;

/**
 * The identity key on disk: PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}, RFC 8410), owner-only.
 * Blocking.
 */
final class IdentityFile {
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);
  private static final int PEM_LINE = 64;

  private IdentityFile() {}

  /** Creates {@code dir} (and its parents) owner-only when it does not exist. */
  static void createDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
    }
  }

  /** Stores {@code key} in {@code keyFile} (0600), atomically: a crash leaves no half key. */
  static void write(Path keyFile, Ed25519PrivateKeyParameters key) throws IOException {
    String base64 = Base64.getMimeEncoder(PEM_LINE, new byte[] {'\n'}).encodeToString(pkcs8(key));
    String pem = "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
    Path temporary = keyFile.resolveSibling(keyFile.getFileName() + ".new");
    Files.deleteIfExists(temporary);
    try {
      Files.write(
          Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)),
          pem.getBytes(StandardCharsets.US_ASCII),
          StandardOpenOption.WRITE);
      Files.move(temporary, keyFile, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("cannot create " + temporary + ": it appeared meanwhile", e);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Reads the key in {@code keyFile}, refusing a file others may read. */
  static Ed25519PrivateKeyParameters read(Path keyFile) throws IOException {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(keyFile);
    } catch (NoSuchFileException e) {
      throw new IOException("identity key " + keyFile + " does not exist", e);
    }
    if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
      throw new IOException(
          "identity key "
              + keyFile
              + " is accessible by group or others ("
              + PosixFilePermissions.toString(permissions)
              + "); it must be owner-only: chmod 600 "
              + keyFile);
    }
    String text;
    try {
      text = Files.readString(keyFile, StandardCharsets.US_ASCII);
    } catch (AccessDeniedException e) {
      throw new IOException("identity key " + keyFile + " is not readable by this user", e);
    } catch (IOException e) {
      throw new IOException("identity key " + keyFile + " cannot be read: " + e.getMessage(), e);
    }
    Object parsed;
    AsymmetricKeyParameter key;
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      parsed = parser.readObject();
      key = parsed instanceof PrivateKeyInfo info ? PrivateKeyFactory.createKey(info) : null;
    } catch (IOException | RuntimeException e) {
      throw corrupt(keyFile, String.valueOf(e.getMessage()), e);
    }
    if (!(parsed instanceof PrivateKeyInfo)) {
      throw corrupt(keyFile, "no -----BEGIN PRIVATE KEY----- block", null);
    }
    if (!(key instanceof Ed25519PrivateKeyParameters ed25519)) {
      throw corrupt(keyFile, "the key is not Ed25519", null);
    }
    return ed25519;
  }

  /** The RFC 8410 PKCS#8 v1 encoding of {@code key} (the form the JDK's KeyFactory reads). */
  static byte[] pkcs8(Ed25519PrivateKeyParameters key) {
    try {
      return new PrivateKeyInfo(
              new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
              new DEROctetString(key.getEncoded()))
          .getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode an Ed25519 key", e);
    }
  }

  private static IOException corrupt(Path keyFile, String why, Throwable cause) {
    return new IOException(
        "identity key "
            + keyFile
            + " is not a PKCS#8 Ed25519 private key ("
            + why
            + "); restore it from a backup, or move it away to make a new identity (the node's ID"
            + " changes and its neighbors must trust the new one)",
        cause);
  }
}
