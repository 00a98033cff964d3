package io.bamqp.planner;

/**
 * A contiguous span of the file, both ends inclusive, as an HTTP {@code Range} header names it:
 * {@code ByteRange(0, 1023)} is the first KiB.
 *
 * @param first offset of the first byte, {@code >= 0}
 * @param last offset of the last byte, {@code >= first}
 */
public record ByteRange(long first, long last) {

  public ByteRange {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("not a byte range: [" + first + ", " + last + "]");
    }
  }

  /** The range of {@code length} bytes starting at {@code first}; {@code length >= 1}. */
  public static ByteRange ofLength(long first, long length) {
    if (length < 1) {
      throw new IllegalArgumentException("a range holds at least one byte: " + length);
    }
    return new ByteRange(first, Math.addExact(first, length - 1));
  }

  /** How many bytes the range holds. */
  public long length() {
    return last - first + 1;
  }

  /** Whether {@code offset} lies inside the range. */
  public boolean contains(long offset) {
    return offset >= first && offset <= last;
  }

  /** The offset just past the last byte. */
  public long end() {
    return last + 1;
  }

  /** The value of an HTTP {@code Range} header asking for this range: {@code bytes=first-last}. */
  public String rangeHeader() {
    return "bytes=" + first + "-" + last;
  }

  @Override
  public String toString() {
    return "[" + first + "-" + last + "]";
  }
}
