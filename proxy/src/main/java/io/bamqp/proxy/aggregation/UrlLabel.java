package io.bamqp.proxy.aggregation;

/**
 * How the statistics page names a download: host and a shortened path, never the query string
 * (signed URLs carry their credentials there).
 */
final class UrlLabel {
  /** Longest path shown whole; a longer one keeps its first segment and its file name. */
  static final int MAX_PATH_CHARS = 48;

  /** Longest file name shown whole; a longer one keeps its end (the extension). */
  static final int MAX_NAME_CHARS = 32;

  private UrlLabel() {}

  /** {@code host:port/path}, query cut, long paths shortened with "…". */
  /** The host of {@code host[:port]/path}, without the port or an IPv6 literal's brackets. */
  static String host(String authorityAndPath) {
    int slash = authorityAndPath.indexOf('/');
    String authority = slash < 0 ? authorityAndPath : authorityAndPath.substring(0, slash);
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      return close < 0 ? authority : authority.substring(1, close);
    }
    int colon = authority.indexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }

  static String of(String authorityAndPath) {
    int query = authorityAndPath.indexOf('?');
    String url = query < 0 ? authorityAndPath : authorityAndPath.substring(0, query);
    int slash = url.indexOf('/');
    if (slash < 0) {
      return url;
    }
    String host = url.substring(0, slash);
    String path = url.substring(slash);
    if (path.length() <= MAX_PATH_CHARS) {
      return host + path;
    }
    int firstEnd = path.indexOf('/', 1);
    int lastStart = path.lastIndexOf('/');
    String name = path.substring(lastStart + 1);
    if (name.length() > MAX_NAME_CHARS) {
      name = "…" + name.substring(name.length() - MAX_NAME_CHARS + 1);
    }
    String first = firstEnd > 0 && firstEnd < lastStart ? path.substring(0, firstEnd) + "/…" : "";
    return host + first + "/" + name;
  }
}
