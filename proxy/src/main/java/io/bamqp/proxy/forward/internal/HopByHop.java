package io.bamqp.proxy.forward.internal;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hop-by-hop headers of RFC 9110 §7.6.1: they describe one connection and are never forwarded.
 * Besides the fixed list, every header named in {@code Connection} is hop-by-hop for that message.
 */
final class HopByHop {
  private static final Set<String> ALWAYS =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  private HopByHop() {}

  /**
   * Copies {@code from} into {@code to} without the hop-by-hop headers and without {@code except}
   * (lower-case names the caller sets itself).
   */
  static void copyEndToEnd(MultiMap from, MultiMap to, Set<String> except) {
    Set<String> listed = connectionOptions(from);
    for (var header : from) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!ALWAYS.contains(name) && !listed.contains(name) && !except.contains(name)) {
        to.add(header.getKey(), header.getValue());
      }
    }
  }

  private static Set<String> connectionOptions(MultiMap headers) {
    Set<String> names = new TreeSet<>();
    for (String value : headers.getAll("connection")) {
      for (String token : value.split(",")) {
        String name = token.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
    }
    return names;
  }
}
