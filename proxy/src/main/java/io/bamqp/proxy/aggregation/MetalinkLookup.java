package io.bamqp.proxy.aggregation;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and reads the Metalink 4 document of a download ({@code aggregation.sidecarDigests}), the
 * two ways MirrorBrain (download.opensuse.org) publishes one: the response's {@code Link: <...>;
 * rel=describedby; type="application/metalink4+xml"} (RFC 6249), else {@code FILE.meta4} beside the
 * file. A redirector's {@code Link} on its 3xx is not seen here: the client follows the redirect,
 * and the download is the mirror's answer. It is fetched once over the home line, never through a
 * neighbor, from the download's own origin only (a {@code Link} to another host is not followed),
 * at most {@link Metalink#MAX_BYTES} within {@link #TIMEOUT_MILLIS}. Anything else means no
 * Metalink, never a failed download; a document that is there but unusable is logged with the
 * reason.
 */
final class MetalinkLookup {
  private static final System.Logger LOG = System.getLogger("io.bamqp.session");

  /** As long as {@link Sidecar}'s lookup may take: the download does not wait longer for it. */
  static final long TIMEOUT_MILLIS = Sidecar.TIMEOUT_MILLIS;

  /** The media type of Metalink 4 (RFC 5854). */
  static final String MEDIA_TYPE = "application/metalink4+xml";

  /** One link-value of a {@code Link} header: {@code <target>} and its parameters. */
  private static final Pattern LINK = Pattern.compile("<([^>]*)>((?:\\s*;[^,;]*)*)");

  private static final Pattern PARAMETER =
      Pattern.compile(";\\s*([A-Za-z*-]+)\\s*=\\s*(\"[^\"]*\"|[^\\s;]*)");

  private MetalinkLookup() {}

  /**
   * The Metalink of the file {@code target} asks for, of {@code size} bytes, or null; never fails.
   *
   * @param target the download's origin request (host, port, address, URI, headers)
   * @param responseHeaders the origin's response head, searched for a {@code Link}
   */
  static Future<Metalink> fetch(
      HttpClient client, RequestOptions target, MultiMap responseHeaders, long size) {
    String uri = target.getURI();
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    String name = decode(path.substring(path.lastIndexOf('/') + 1));
    if (name.isEmpty()) {
      return Future.succeededFuture(null);
    }
    String linked = describedBy(responseHeaders.getAll("link"), target, path);
    String where = linked != null ? linked : path + ".meta4";
    return Sidecar.body(client, target, where, Metalink.MAX_BYTES)
        .map(
            body -> {
              if (body == null) {
                return null;
              }
              try {
                return Metalink.parse(body.getBytes(), name, size);
              } catch (Metalink.Unusable unusable) {
                LOG.log(
                    System.Logger.Level.INFO,
                    "the Metalink of {0} is not used: {1}",
                    name,
                    unusable.getMessage());
                return null;
              }
            })
        .onFailure(
            failure ->
                LOG.log(
                    System.Logger.Level.INFO,
                    "the Metalink of {0} is not used: {1}",
                    name,
                    failure.getMessage()))
        .timeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .otherwise((Metalink) null);
  }

  /**
   * The path (and query) on the download's own origin of the first Metalink 4 document a {@code
   * Link} header points to with {@code rel=describedby}, or null: a relative reference is resolved
   * against the download's {@code path}; an absolute one counts only with the download's scheme,
   * host and port.
   */
  static String describedBy(List<String> links, RequestOptions target, String path) {
    for (String header : links) {
      Matcher link = LINK.matcher(header);
      while (link.find()) {
        String reference = link.group(1).trim();
        if (!isMetalink(link.group(2))) {
          continue;
        }
        String local = sameOrigin(reference, target, path);
        if (local != null) {
          return local;
        }
      }
    }
    return null;
  }

  private static boolean isMetalink(String parameters) {
    boolean describedBy = false;
    boolean metalink = false;
    Matcher parameter = PARAMETER.matcher(parameters);
    while (parameter.find()) {
      String key = parameter.group(1).toLowerCase(Locale.ROOT);
      String value = parameter.group(2).replace("\"", "").trim().toLowerCase(Locale.ROOT);
      if (key.equals("rel")) {
        describedBy = List.of(value.split("\\s+")).contains("describedby");
      } else if (key.equals("type")) {
        metalink = value.equals(MEDIA_TYPE);
      }
    }
    return describedBy && metalink;
  }

  private static String sameOrigin(String reference, RequestOptions target, String path) {
    if (reference.isEmpty() || reference.contains("#") || reference.matches(".*[\\s\\\\].*")) {
      return null;
    }
    if (reference.startsWith("//")) {
      return null;
    }
    if (reference.startsWith("/")) {
      return reference;
    }
    Matcher absolute = Pattern.compile("(?i)(https?)://([^/?#@]+)(/[^#]*)?").matcher(reference);
    if (absolute.matches()) {
      boolean tls = absolute.group(1).equalsIgnoreCase("https");
      String authority = absolute.group(2).toLowerCase(Locale.ROOT);
      String host = target.getHost().toLowerCase(Locale.ROOT);
      int port = target.getPort() != null ? target.getPort() : (target.isSsl() ? 443 : 80);
      boolean sameAuthority =
          authority.equals(host + ":" + port)
              || (authority.equals(host) && port == (tls ? 443 : 80));
      boolean sameScheme = tls == Boolean.TRUE.equals(target.isSsl());
      String rest = absolute.group(3);
      return sameAuthority && sameScheme ? (rest == null ? "/" : rest) : null;
    }
    if (reference.matches("(?i)[a-z][a-z0-9+.-]*:.*")) {
      return null; // another scheme
    }
    return path.substring(0, path.lastIndexOf('/') + 1) + reference;
  }

  private static String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return segment;
    }
  }
}
