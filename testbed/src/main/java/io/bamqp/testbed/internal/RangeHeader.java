package io.bamqp.testbed.internal;

/**
 * Parses a {@code Range} request header (RFC 9110 §14.2) against a representation of known length.
 *
 * <p>Only a single {@code bytes} range is honoured: {@code a-b}, {@code a-} or {@code -n}. A
 * multi-range request, another unit, or a malformed header is treated as absent (the whole body,
 * 200), which RFC 9110 allows; so the origin never sends {@code multipart/byteranges}.
 */
final class RangeHeader {

  private RangeHeader() {}

  /** Parses a {@code Range} header value for a representation of {@code total} bytes. */
  static ByteRange parse(String header, long total) {
    if (header == null) {
      return ByteRange.WHOLE;
    }
    String value = header.trim();
    if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
      return ByteRange.WHOLE;
    }
    String spec = value.substring(6).trim();
    int dash = spec.indexOf('-');
    if (spec.indexOf(',') >= 0 || dash < 0) {
      return ByteRange.WHOLE;
    }
    long first = parseDigits(spec.substring(0, dash).trim());
    long last = parseDigits(spec.substring(dash + 1).trim());
    if (first == MISSING) {
      if (last == MISSING || last == INVALID) {
        return ByteRange.WHOLE;
      }
      // Suffix range "-n": the last n bytes.
      if (last == 0 || total == 0) {
        return ByteRange.UNSATISFIABLE;
      }
      return new ByteRange.Span(Math.max(0, total - last), total - 1);
    }
    if (first == INVALID || last == INVALID || (last != MISSING && last < first)) {
      return ByteRange.WHOLE;
    }
    if (first >= total) {
      return ByteRange.UNSATISFIABLE;
    }
    return new ByteRange.Span(first, last == MISSING ? total - 1 : Math.min(last, total - 1));
  }

  private static final long MISSING = -1;
  private static final long INVALID = -2;

  private static long parseDigits(String s) {
    if (s.isEmpty()) {
      return MISSING;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return INVALID;
      }
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException tooLong) {
      return s.length() > 18 ? Long.MAX_VALUE : INVALID;
    }
  }
}
