package io.bamqp.testbed.internal;

/**
 * What a {@code Range} header asks of a representation of a known length; see {@link RangeHeader}.
 */
sealed interface ByteRange {

  /** The whole representation: no usable {@code Range}. */
  ByteRange WHOLE = new Whole();

  /** No byte of the requested range exists: 416. */
  ByteRange UNSATISFIABLE = new Unsatisfiable();

  /** The whole representation. */
  record Whole() implements ByteRange {}

  /** An unsatisfiable range. */
  record Unsatisfiable() implements ByteRange {}

  /**
   * The inclusive span {@code first..last}, already clamped to the representation.
   *
   * @param first offset of the first byte
   * @param last offset of the last byte, inclusive
   */
  record Span(long first, long last) implements ByteRange {
    public long length() {
      return last - first + 1;
    }

    /** The {@code Content-Range} value for a representation of {@code total} bytes. */
    public String contentRange(long total) {
      return "bytes " + first + '-' + last + '/' + total;
    }
  }
}
