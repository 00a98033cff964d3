package io.bamqp.testbed;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The deterministic bytes of one file at one version: byte {@code i} is a pure function of the
 * file's identity, its version and {@code i}, so a test can compute what any range should hold
 * without a server.
 *
 * <p>Each group of eight bytes is one output of a 64-bit mixing function (SplitMix64's finalizer)
 * applied to the group's index and the file's seed. Neighbouring bytes are unrelated, so a range
 * read from a shifted offset, an off-by-one or a chunk from another file or version differs from
 * the expected bytes almost everywhere; nothing repeats with a short period.
 *
 * <p>{@code /files/{size}} and {@code /chunked/{size}} serve {@link #ofSize(long) ofSize(size)}; a
 * file registered with {@link TestOrigin.Builder#file(String, long)} serves {@link #ofPath(String,
 * long) ofPath(path, size)}. The origin's current {@linkplain TestOrigin#version() version} selects
 * {@link #atVersion(long)}. Instances are immutable and thread-safe.
 */
public final class Content {

  /** One kibibyte, 1024 bytes. */
  public static final long KIB = 1024;

  /** One mebibyte, 1024 KiB. */
  public static final long MIB = 1024 * KIB;

  /** One gibibyte, 1024 MiB. */
  public static final long GIB = 1024 * MIB;

  /**
   * {@code Last-Modified} of every file at version 0, fixed well in the past so that freshness
   * heuristics never matter; each later version is one day newer.
   */
  public static final Instant BASE_LAST_MODIFIED = Instant.parse("2020-01-01T00:00:00Z");

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final int DIGEST_BLOCK = 64 * 1024;

  private final long fileSeed;
  private final long size;
  private final long version;
  private final long seed;

  private Content(long fileSeed, long size, long version) {
    if (size < 0) {
      throw new IllegalArgumentException("size < 0: " + size);
    }
    if (version < 0) {
      throw new IllegalArgumentException("version < 0: " + version);
    }
    this.fileSeed = fileSeed;
    this.size = size;
    this.version = version;
    this.seed = mix(fileSeed + version * GOLDEN_GAMMA);
  }

  /** The content of {@code /files/{size}} (and {@code /chunked/{size}}) at version 0. */
  public static Content ofSize(long size) {
    return new Content(mix(size ^ 0x5EED_F11E_5L), size, 0);
  }

  /** The content of a named file registered at {@code path} with {@code size} bytes, version 0. */
  public static Content ofPath(String path, long size) {
    Objects.requireNonNull(path, "path");
    long h = 0xCBF29CE484222325L; // FNV-1a, stable across JVMs unlike String.hashCode's spread
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001B3L;
    }
    return new Content(mix(h), size, 0);
  }

  /**
   * The same file at another version; version {@code v} shares no byte pattern with {@code v-1}.
   */
  public Content atVersion(long version) {
    return version == this.version ? this : new Content(fileSeed, size, version);
  }

  /** The file's length in bytes. */
  public long size() {
    return size;
  }

  /** The file's version, 0 until the origin changes the object. */
  public long version() {
    return version;
  }

  /**
   * The strong entity tag the origin sends for this file and version, quotes included, e.g. {@code
   * "1f2e3d4c5b6a7988-8388608-v0"}.
   */
  public String etag() {
    return '"' + HexFormat.of().toHexDigits(fileSeed) + '-' + size + "-v" + version + '"';
  }

  /**
   * The instant sent as {@code Last-Modified}: {@link #BASE_LAST_MODIFIED} plus one day per
   * version.
   */
  public Instant lastModified() {
    return BASE_LAST_MODIFIED.plus(Duration.ofDays(version));
  }

  /** The byte at {@code index}, defined for any non-negative index (also past {@link #size()}). */
  public byte byteAt(long index) {
    return (byte) (mix(seed + (index >>> 3) * GOLDEN_GAMMA) >>> ((index & 7) << 3));
  }

  /** Fills {@code dst[dstOffset, dstOffset + length)} with the bytes starting at {@code offset}. */
  public void fill(long offset, byte[] dst, int dstOffset, int length) {
    Objects.checkFromIndexSize(dstOffset, length, dst.length);
    int i = 0;
    long pos = offset;
    while (i < length && (pos & 7) != 0) {
      dst[dstOffset + i++] = byteAt(pos++);
    }
    while (length - i >= 8) {
      long word = mix(seed + (pos >>> 3) * GOLDEN_GAMMA);
      for (int k = 0; k < 8; k++) {
        dst[dstOffset + i++] = (byte) (word >>> (k << 3));
      }
      pos += 8;
    }
    while (i < length) {
      dst[dstOffset + i++] = byteAt(pos++);
    }
  }

  /** A new buffer holding {@code length} bytes starting at {@code offset}. */
  public Buffer slice(long offset, int length) {
    byte[] bytes = new byte[length];
    fill(offset, bytes, 0, length);
    return Buffer.buffer(bytes);
  }

  /** SHA-256 of the whole file, computed block by block in constant memory. */
  public byte[] sha256() {
    return sha256(0, size);
  }

  /** SHA-256 of {@code length} bytes starting at {@code offset}, in constant memory. */
  public byte[] sha256(long offset, long length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("offset=" + offset + " length=" + length);
    }
    MessageDigest digest = newSha256();
    byte[] block = new byte[(int) Math.min(DIGEST_BLOCK, Math.max(length, 1))];
    long done = 0;
    while (done < length) {
      int n = (int) Math.min(block.length, length - done);
      fill(offset + done, block, 0, n);
      digest.update(block, 0, n);
      done += n;
    }
    return digest.digest();
  }

  /** Lower-case hex of {@link #sha256()}. */
  public String sha256Hex() {
    return HexFormat.of().formatHex(sha256());
  }

  /** Lower-case hex of {@link #sha256(long, long)}. */
  public String sha256Hex(long offset, long length) {
    return HexFormat.of().formatHex(sha256(offset, length));
  }

  /** A fresh SHA-256 digest, for tests that hash what a client received. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM ships SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Content c
        && c.fileSeed == fileSeed
        && c.size == size
        && c.version == version;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(seed) * 31 + Long.hashCode(size);
  }

  @Override
  public String toString() {
    return "Content{size=" + size + ", version=" + version + ", etag=" + etag() + '}';
  }

  /** SplitMix64's finalizer: a cheap bijective 64-bit mix. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
