package io.bamqp.proxy.stats.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Who may change anything through the statistics page: a request that shows {@code stats.token} as
 * {@code Authorization: Bearer <token>} and does not come from a foreign page. A cross-site form
 * cannot set that header, and the server answers no CORS, so another site's page cannot send it
 * either; a present {@code Origin} that is not the page's own is refused outright.
 */
final class ChangeGuard {
  /** Why a change was refused: the status and the message for the caller. */
  record Refusal(int status, String message) {}

  private final byte[] tokenDigest;

  /**
   * @param token {@code stats.token}, or null: every change is refused
   */
  ChangeGuard(String token) {
    this.tokenDigest = token == null ? null : sha256(token);
  }

  /**
   * Checks one request.
   *
   * @param origin its {@code Origin} header, or null
   * @param host its {@code Host} header, or null
   * @param authorization its {@code Authorization} header, or null
   * @return null when it may go ahead, else why not
   */
  Refusal check(String origin, String host, String authorization) {
    if (origin != null && (host == null || !origin.equalsIgnoreCase("http://" + host))) {
      return new Refusal(
          403, "cross-origin request refused: Origin " + origin + " is not this page");
    }
    if (tokenDigest == null) {
      return new Refusal(403, "changes are disabled: set stats.token in the config to allow them");
    }
    String prefix = "Bearer ";
    if (authorization == null
        || !authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
      return new Refusal(401, "this change needs Authorization: Bearer <stats.token>");
    }
    // Digests of equal length, compared in constant time: neither content nor length leaks.
    byte[] shown = sha256(authorization.substring(prefix.length()).trim());
    if (!MessageDigest.isEqual(shown, tokenDigest)) {
      return new Refusal(401, "wrong token");
    }
    return null;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
