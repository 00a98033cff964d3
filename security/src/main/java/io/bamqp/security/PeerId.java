package io.bamqp.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A node's short, typeable name: the first 160 bits of SHA-256 over its raw 32-byte Ed25519 public
 * key, in RFC 4648 base32 as four groups of eight, e.g. {@code MFRGGZDF-MZTWQ2LK-NNWG23TP-OBYXE43U}
 * (in the spirit of Syncthing's device IDs). An ID names a key; it grants nothing by itself: trust
 * is the owner listing it in {@code peer.trusted}.
 */
public final class PeerId implements Comparable<PeerId> {
  /** Bytes of the digest kept in an ID. */
  public static final int BYTES = 20;

  private static final int CHARS = BYTES * 8 / 5;
  private static final int GROUP = 8;
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private final String text;

  private PeerId(String text) {
    this.text = text;
  }

  /** The ID of a raw 32-byte Ed25519 public key. */
  public static PeerId ofPublicKey(byte[] rawEd25519PublicKey) {
    if (rawEd25519PublicKey.length != 32) {
      throw new IllegalArgumentException(
          "an Ed25519 public key has 32 bytes, not " + rawEd25519PublicKey.length);
    }
    byte[] digest = Arrays.copyOf(sha256(rawEd25519PublicKey), BYTES);
    return new PeerId(group(base32(digest)));
  }

  /**
   * Reads an ID as a person typed it: case-insensitive, dashes and spaces optional.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static PeerId parse(String typed) {
    if (typed == null || typed.isBlank()) {
      throw new IllegalArgumentException("a peer ID is empty");
    }
    StringBuilder chars = new StringBuilder(CHARS);
    for (char c : typed.trim().toCharArray()) {
      if (c == '-' || c == ' ') {
        continue;
      }
      // ASCII only: toUpperCase reads the dotless i as I and the long s as S.
      char upper = c < 0x80 ? Character.toUpperCase(c) : c;
      if (ALPHABET.indexOf(upper) < 0) {
        throw new IllegalArgumentException(
            "peer ID '" + typed + "' has '" + c + "', which is not a base32 letter (A-Z, 2-7)");
      }
      chars.append(upper);
    }
    if (chars.length() != CHARS) {
      throw new IllegalArgumentException(
          "peer ID '"
              + typed
              + "' has "
              + chars.length()
              + " letters, not "
              + CHARS
              + " (`bamqp id` prints a node's ID)");
    }
    return new PeerId(group(chars.toString()));
  }

  /** The first group only, for log lines and narrow table columns. */
  public String shortForm() {
    return text.substring(0, GROUP);
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PeerId id && id.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public int compareTo(PeerId other) {
    return text.compareTo(other.text);
  }

  private static String group(String chars) {
    StringBuilder grouped = new StringBuilder(CHARS + CHARS / GROUP);
    for (int i = 0; i < chars.length(); i += GROUP) {
      if (i > 0) {
        grouped.append('-');
      }
      grouped.append(chars, i, i + GROUP);
    }
    return grouped.toString();
  }

  private static String base32(byte[] bytes) {
    StringBuilder out = new StringBuilder(CHARS);
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    return out.toString();
  }

  static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
