package io.bamqp.discovery;

import io.bamqp.security.PeerId;
import java.security.SecureRandom;

/** Random peer IDs, so parallel test runs on one host never mistake each other's nodes. */
final class TestIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestIds() {}

  static PeerId random() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return PeerId.ofPublicKey(key);
  }
}
