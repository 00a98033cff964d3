package io.bamqp.proxy.aggregation;

import io.vertx.core.MultiMap;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds what makes a request private to one household: a {@code Cookie}, an {@code Authorization}
 * header, or a query that looks like a signed URL. Such a request is split across neighbors only
 * when its domain is listed in {@code aggregation.credentialedDomains}: a helper would otherwise
 * learn a URL that grants access to the household's account.
 */
final class Credentials {
  /**
   * Query parameters that carry a credential: pre-signed URLs of S3, GCS, Azure, CloudFront,
   * Akamai, and the common token names. Matched case-insensitively, by exact name.
   */
  static final Set<String> SIGNED_URL_PARAMETERS =
      Set.of(
          "x-amz-signature",
          "x-amz-credential",
          "x-amz-security-token",
          "x-goog-signature",
          "x-goog-credential",
          "signature",
          "sig",
          "key-pair-id",
          "policy",
          "hdnts",
          "__token__",
          "token",
          "access_token",
          "auth",
          "authorization",
          "apikey",
          "api_key",
          "password",
          "secret",
          "dlsession");

  /**
   * Parameters that carry a session: servlet, PHP and ASP session IDs, as path parameters ({@code
   * /file.iso;jsessionid=...}) or in the query ({@code ?PHPSESSID=...}, where PHP puts it). Matched
   * case-insensitively, by exact name, as are the query names above.
   */
  static final Set<String> SESSION_PATH_PARAMETERS =
      Set.of("jsessionid", "phpsessid", "sessionid", "sid", "aspsessionid");

  /** Parameters that sign a URL only together (nginx secure_link: {@code ?md5=...&expires=...}). */
  static final Set<String> SIGNING_PAIR = Set.of("md5", "expires");

  private Credentials() {}

  /** What credential the request carries, or null when it carries none. */
  static String carried(MultiMap requestHeaders, String pathAndQuery) {
    if (requestHeaders.contains("cookie")) {
      return "the request carries a Cookie";
    }
    if (requestHeaders.contains("authorization")) {
      return "the request carries Authorization";
    }
    int query = pathAndQuery.indexOf('?');
    String path = query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    for (String segment : path.split("/")) {
      String[] parameters = segment.split(";");
      for (int i = 1; i < parameters.length; i++) {
        int equals = parameters[i].indexOf('=');
        String name =
            (equals < 0 ? parameters[i] : parameters[i].substring(0, equals))
                .toLowerCase(Locale.ROOT);
        if (SESSION_PATH_PARAMETERS.contains(name) || SIGNED_URL_PARAMETERS.contains(name)) {
          return "the URL carries a session (path parameter '" + name + "')";
        }
      }
    }
    if (query < 0) {
      return null;
    }
    Set<String> pairSeen = new HashSet<>();
    for (String pair : pathAndQuery.substring(query + 1).split("&")) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String decoded;
      try {
        decoded = URLDecoder.decode(name, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
      } catch (IllegalArgumentException malformed) {
        return "the query has a malformed parameter name";
      }
      if (SIGNED_URL_PARAMETERS.contains(decoded)) {
        return "the URL looks signed (query parameter '" + decoded + "')";
      }
      if (SESSION_PATH_PARAMETERS.contains(decoded)) {
        return "the URL carries a session (query parameter '" + decoded + "')";
      }
      if (SIGNING_PAIR.contains(decoded)) {
        pairSeen.add(decoded);
        if (pairSeen.equals(SIGNING_PAIR)) {
          return "the URL looks signed (query parameters 'md5' and 'expires')";
        }
      }
    }
    return null;
  }

  /** Whether {@code host} is one of {@code domains} or below one of them. */
  static boolean listed(String host, List<String> domains) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    for (String domain : domains) {
      if (name.equals(domain) || name.endsWith("." + domain)) {
        return true;
      }
    }
    return false;
  }
}
