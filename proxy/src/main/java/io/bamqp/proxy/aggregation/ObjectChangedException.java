package io.bamqp.proxy.aggregation;

/** A source saw another version of the object than the one the download started with. */
final class ObjectChangedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ObjectChangedException(String detail) {
    super(detail, null, false, false);
  }
}
