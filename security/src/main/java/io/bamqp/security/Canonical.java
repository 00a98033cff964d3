package io.bamqp.security;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The unambiguous byte encoding signatures are made over: a domain-separation label, then each
 * field in a fixed order, variable-length fields as a 4-byte big-endian length and their bytes,
 * numbers as 8 bytes big-endian, an absent field as length {@code -1}. No two different field lists
 * encode the same bytes, and a signature for one purpose ({@code bamqp-request-v1}) never verifies
 * for another ({@code bamqp-chunk-v1}).
 */
final class Canonical {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  private Canonical(String label) {
    text(label);
  }

  static Canonical labelled(String label) {
    return new Canonical(label);
  }

  Canonical text(String value) {
    return bytes(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  Canonical bytes(byte[] value) {
    if (value == null) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
    } else {
      out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
      out.writeBytes(value);
    }
    return this;
  }

  Canonical number(long value) {
    out.writeBytes(ByteBuffer.allocate(8).putLong(value).array());
    return this;
  }

  byte[] toBytes() {
    return out.toByteArray();
  }
}
