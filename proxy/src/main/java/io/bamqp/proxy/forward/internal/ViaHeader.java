package io.bamqp.proxy.forward.internal;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpVersion;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * This node's {@code Via} entry (RFC 9110 §7.6.3) and forwarding-loop detection through it.
 *
 * <p>The received-by name is a pseudonym drawn at start-up, not the host name: origins learn that a
 * bamqp node forwarded the request, not which household runs it.
 */
final class ViaHeader {
  private final String pseudonym;

  private ViaHeader(String pseudonym) {
    this.pseudonym = pseudonym;
  }

  static ViaHeader random() {
    byte[] bytes = new byte[4];
    new SecureRandom().nextBytes(bytes);
    return new ViaHeader("bamqp-" + HexFormat.of().formatHex(bytes));
  }

  /** Whether a message's {@code Via} already names this node: forwarding it again would loop. */
  boolean loopsThrough(MultiMap headers) {
    for (String value : headers.getAll("via")) {
      for (String hop : value.split(",")) {
        String[] parts = hop.trim().split("\\s+");
        if (parts.length >= 2 && parts[1].equalsIgnoreCase(pseudonym)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Appends this node's entry for a message received over {@code version}. */
  void append(MultiMap incoming, MultiMap outgoing, HttpVersion version) {
    String entry = (version == HttpVersion.HTTP_1_0 ? "1.0 " : "1.1 ") + pseudonym;
    String previous = String.join(", ", incoming.getAll("via"));
    outgoing.set("Via", previous.isEmpty() ? entry : previous + ", " + entry);
  }
}
