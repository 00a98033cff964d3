package io.bamqp.proxy.aggregation;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The origin's digest of the whole representation ({@code Repr-Digest}, RFC 9530, or else the older
 * {@code Digest: SHA-256=}, RFC 3230), checked against the bytes reassembled from every source. The
 * session feeds it each buffer in client order and holds back the last one until {@link
 * #matches()}: a mismatch resets the client connection before the body is complete, so a corrupted
 * download never looks finished.
 */
final class ReprDigest {
  /** {@code sha-256=:base64:} members of the structured-field dictionary; others are ignored. */
  private static final Pattern MEMBER =
      Pattern.compile("\\s*(sha-256|sha-512)\\s*=\\s*:([A-Za-z0-9+/=]*):\\s*");

  /** {@code SHA-256=base64} instances of the older {@code Digest} header (RFC 3230, RFC 5843). */
  private static final Pattern INSTANCE =
      Pattern.compile(
          "\\s*(sha-256|sha-512)\\s*=\\s*([A-Za-z0-9+/=]+)\\s*", Pattern.CASE_INSENSITIVE);

  /** A SHA-256 the origin publishes beside the file, and where: a Metalink, a checksum file. */
  record Published(String source, byte[] sha256) {}

  private final String algorithm;
  private String header;
  private final Future<byte[]> expected;
  private final MessageDigest digest;
  private boolean hashing = true;

  private ReprDigest(String header, String algorithm, byte[] expected) {
    this(header, algorithm, Future.succeededFuture(expected));
  }

  private ReprDigest(String header, String algorithm, Future<byte[]> expected) {
    this.header = header;
    this.algorithm = algorithm;
    this.expected = expected;
    try {
      this.digest = MessageDigest.getInstance(algorithm.toUpperCase(Locale.ROOT));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has " + algorithm, e);
    }
  }

  /**
   * The check for a response that carries a usable {@code Repr-Digest} (the strongest of sha-512
   * and sha-256), or null. A digest of the whole representation says nothing about a part, so a
   * client's own range is not checked.
   */
  static ReprDigest of(MultiMap responseHeaders, Eligibility.Download download) {
    if (download.partial()) {
      return null;
    }
    ReprDigest best = strongest("Repr-Digest", responseHeaders.get("repr-digest"), MEMBER);
    // The older header (RFC 3230): its instance digest is of the whole representation too.
    return best != null ? best : strongest("Digest", responseHeaders.get("digest"), INSTANCE);
  }

  private static ReprDigest strongest(String name, String header, Pattern pattern) {
    if (header == null) {
      return null;
    }
    ReprDigest best = null;
    for (String member : header.split(",")) {
      Matcher m = pattern.matcher(member);
      if (!m.matches()) {
        continue;
      }
      byte[] value;
      try {
        value = Base64.getDecoder().decode(m.group(2));
      } catch (IllegalArgumentException notBase64) {
        continue;
      }
      String algorithm = m.group(1).toLowerCase(Locale.ROOT);
      int size = algorithm.equals("sha-512") ? 64 : 32;
      if (value.length == size && (best == null || size == 64)) {
        best = new ReprDigest(name, algorithm, value);
      }
    }
    return best;
  }

  /**
   * The check against the digest the origin publishes beside the file ({@link Sidecar}), which
   * arrives while the body flows: null from {@code published} means there is none, and hashing
   * stops then.
   */
  static ReprDigest published(Future<byte[]> published) {
    return publishedBy(
        published.map(
            sha256 -> sha256 == null ? null : new Published("published SHA-256 file", sha256)));
  }

  /** As {@link #published(Future)}, naming where the digest came from once it is known. */
  static ReprDigest publishedBy(Future<Published> published) {
    Promise<byte[]> expected = Promise.promise();
    ReprDigest check = new ReprDigest("published SHA-256", "sha-256", expected.future());
    published.onComplete(
        known -> {
          Published value = known.succeeded() ? known.result() : null;
          if (value != null) {
            check.header = value.source(); // named before the end gate hears it is known
          }
          expected.complete(value == null ? null : value.sha256());
        });
    return check;
  }

  void update(Buffer bytes) {
    if (!hashing) {
      return;
    }
    if (expected.isComplete() && expected.result() == null) {
      hashing = false; // nothing to compare with: spare the CPU
      return;
    }
    // The buffer's own memory, not a copy: every byte of a large download passes through here.
    digest.update(((BufferInternal) bytes).getByteBuf().nioBuffer());
  }

  /** Whether the expected digest (or that there is none) is known yet. */
  boolean isKnown() {
    return expected.isComplete();
  }

  /** Runs {@code then} once the expected digest is known (at once when it is). */
  void whenKnown(Runnable then) {
    expected.onComplete(known -> then.run());
  }

  /** Whether there is something to compare with: false for an origin that publishes no digest. */
  boolean applies() {
    return expected.succeeded() && expected.result() != null;
  }

  /**
   * Whether every byte fed so far hashes to the origin's digest; call once, at the end, after
   * {@link #whenKnown} and only when {@link #applies}.
   */
  boolean matches() {
    return MessageDigest.isEqual(digest.digest(), expected.result());
  }

  String algorithm() {
    return algorithm;
  }

  /** Where the digest came from: {@code Repr-Digest}, {@code Digest} or a published file. */
  String header() {
    return header;
  }
}
