package io.bamqp.proxy.forward.internal;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a {@code Host} names this router the way a LAN client does: an IP literal, {@code
 * localhost}, a single-label name or a LAN suffix, never a public domain name. A copy of the
 * statistics page's rebinding rule ({@code stats.internal.HostGuard}); the two become one shared
 * class in {@code security}.
 */
final class LanHost {
  /** Suffixes that name machines of the home network, never a site on the Internet. */
  static final List<String> LAN_SUFFIXES =
      List.of(".local", ".lan", ".home", ".home.arpa", ".internal", ".localdomain");

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private LanHost() {}

  static boolean allowed(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (name.startsWith("[") || name.indexOf(':') >= 0 || IPV4.matcher(name).matches()) {
      return true;
    }
    if (name.equals("localhost") || name.indexOf('.') < 0) {
      return true;
    }
    for (String suffix : LAN_SUFFIXES) {
      if (name.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }
}
