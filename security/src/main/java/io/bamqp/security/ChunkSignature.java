package io.bamqp.security;

import java.util.Objects;

/**
 * A helper's signature of one chunk of a range, and the fields it covers: the job, the URL, the
 * chunk's first and last byte offsets in the representation, its validator (ETag, or Last-Modified
 * when there is none), SHA-256 of the chunk's bytes, and the home it is for (so a chunk cannot be
 * replayed to another home). The bytes signed are {@link #signedBytes()}: the label {@value
 * #LABEL}, then the fields in that order, length-prefixed.
 *
 * <p>A home builds the fields it expects, with the signature that came on the wire, and asks {@link
 * #isSignedBy} with the key it pinned: any field the helper changed fails. Arrays are not copied.
 *
 * @param jobId the home's job id
 * @param url the URL the range is of
 * @param first offset of the chunk's first byte
 * @param last offset of the chunk's last byte, {@code >= first}
 * @param validator the representation's ETag, else its Last-Modified
 * @param sha256 SHA-256 of the chunk's bytes
 * @param home the home the chunk is sent to
 * @param signature the helper's Ed25519 signature of {@link #signedBytes()}
 */
public record ChunkSignature(
    String jobId,
    String url,
    long first,
    long last,
    String validator,
    byte[] sha256,
    PeerId home,
    byte[] signature) {

  /** Domain separation: these signatures mean "these bytes of this object", nothing else. */
  public static final String LABEL = "bamqp-chunk-v1";

  public ChunkSignature {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(validator, "validator");
    Objects.requireNonNull(home, "home");
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("need 0 <= first <= last, got " + first + ", " + last);
    }
    if (sha256 == null || sha256.length != 32) {
      throw new IllegalArgumentException("sha256 must hold 32 bytes");
    }
    Objects.requireNonNull(signature, "signature");
  }

  /** The helper's signature of a chunk with these fields. */
  public static ChunkSignature sign(
      Identity helper,
      String jobId,
      String url,
      long first,
      long last,
      String validator,
      byte[] sha256,
      PeerId home) {
    byte[] unsigned = new byte[PeerKey.SIGNATURE_BYTES];
    ChunkSignature fields =
        new ChunkSignature(jobId, url, first, last, validator, sha256, home, unsigned);
    return new ChunkSignature(
        jobId, url, first, last, validator, sha256, home, helper.sign(fields.signedBytes()));
  }

  /** The canonical bytes the signature covers. */
  public byte[] signedBytes() {
    return Canonical.labelled(LABEL)
        .text(jobId)
        .text(url)
        .number(first)
        .number(last)
        .text(validator)
        .bytes(sha256)
        .text(home.toString())
        .toBytes();
  }

  /** Whether the signature is {@code helper}'s, over these fields. */
  public boolean isSignedBy(PeerKey helper) {
    return helper.verifies(signedBytes(), signature);
  }
}
