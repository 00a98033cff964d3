package io.bamqp.peer;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.bamqp.planner.ByteRange;
import java.util.Objects;

/**
 * A home's request for bytes {@code first..last} (inclusive) of the representation of {@code url}
 * that is {@code totalBytes} long and carries the given validator. The helper answers exactly those
 * bytes, or an error; never bytes of another version.
 *
 * <p>The validator is a strong {@code etag} (preferred: the helper sends it as {@code If-Range} and
 * checks the origin's {@code ETag}) or, when the origin has none, its {@code lastModified} date. At
 * least one is present.
 *
 * <p>JSON: {@code {"url":"http://mirror.example/big.iso","first":0,"last":1048575,
 * "totalBytes":268435456,"etag":"\"5e1f-10000000\"","lastModified":null}}.
 *
 * @param url absolute {@code http} or {@code https} URL, at most {@link #MAX_URL_LENGTH} characters
 * @param first offset of the first byte, {@code >= 0}
 * @param last offset of the last byte, {@code first <= last < totalBytes}
 * @param totalBytes size of the whole representation, {@code 1..}{@link
 *     PeerProtocol#MAX_REPRESENTATION_BYTES}
 * @param etag the strong entity tag, quotes included ({@code "\"abc\""}), or {@code null}
 * @param lastModified the {@code Last-Modified} value as the origin sent it, or {@code null}
 */
public record RangeFetch(
    @JsonProperty(required = true) String url,
    @JsonProperty(required = true) long first,
    @JsonProperty(required = true) long last,
    @JsonProperty(required = true) long totalBytes,
    String etag,
    String lastModified) {

  /** The longest URL a range fetch may carry (8 KiB), like the proxy's request-target limit. */
  public static final int MAX_URL_LENGTH = 8 * 1024;

  public RangeFetch {
    Objects.requireNonNull(url, "url");
    if (url.isEmpty() || url.length() > MAX_URL_LENGTH) {
      throw new IllegalArgumentException("url must hold 1 to " + MAX_URL_LENGTH + " characters");
    }
    if (totalBytes <= 0 || totalBytes > PeerProtocol.MAX_REPRESENTATION_BYTES) {
      throw new IllegalArgumentException(
          "totalBytes must be 1 to "
              + PeerProtocol.MAX_REPRESENTATION_BYTES
              + ", got "
              + totalBytes);
    }
    if (first < 0 || last < first || last >= totalBytes) {
      throw new IllegalArgumentException(
          "need 0 <= first <= last < totalBytes, got " + first + ", " + last + ", " + totalBytes);
    }
    if (etag == null && lastModified == null) {
      throw new IllegalArgumentException("a validator is required: etag or lastModified");
    }
    if (etag != null && !isStrongEtag(etag)) {
      throw new IllegalArgumentException("etag must be a strong entity tag: \"...\"");
    }
    if (lastModified != null && lastModified.isBlank()) {
      throw new IllegalArgumentException("lastModified must not be blank");
    }
  }

  /** The requested bytes as a planner range. */
  public ByteRange range() {
    return new ByteRange(first, last);
  }

  /** How many bytes the answer carries: {@code last - first + 1}. */
  public long length() {
    return last - first + 1;
  }

  /** The {@code If-Range} value the helper sends: the ETag when there is one, else the date. */
  public String ifRange() {
    return etag != null ? etag : lastModified;
  }

  /** Whether {@code tag} is a strong entity tag (RFC 9110 §8.8.3): quoted, not {@code W/}. */
  public static boolean isStrongEtag(String tag) {
    if (tag.length() < 2 || tag.charAt(0) != '"' || tag.charAt(tag.length() - 1) != '"') {
      return false;
    }
    for (int i = 1; i < tag.length() - 1; i++) {
      char c = tag.charAt(i);
      if (c == '"' || c < 0x21 || c == 0x7f) {
        return false;
      }
    }
    return true;
  }
}
