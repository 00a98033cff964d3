package io.bamqp.proxy.forward.internal;

import io.bamqp.security.HttpUrl;
import io.bamqp.security.MalformedAddress;
import io.vertx.core.http.HttpMethod;
import java.util.Set;

/**
 * The redirects {@code /fetch} follows itself, so that the file a browser saves is the final one
 * and the final URL is what gets aggregated. Plain proxied requests never follow: their 3xx goes to
 * the client untouched.
 *
 * <p>Each hop's {@code Location} is resolved against the URL that answered and read by {@link
 * HttpUrl}; the caller then pins it with the redirect rule of {@link Pinning}. A hop from {@code
 * https} to {@code http} is refused (it would hand a TLS-protected download to anyone on the path),
 * and so is hop number {@value #MAX_REDIRECTS} + 1.
 */
final class FetchRedirects {
  /** Redirects followed for one {@code /fetch}, as browsers and curl do by default (20 and 50). */
  static final int MAX_REDIRECTS = 10;

  /** The statuses followed, on {@code GET}: all of them mean "the file is at Location". */
  static final Set<Integer> FOLLOWED = Set.of(301, 302, 303, 307, 308);

  /** Largest redirect body read to its end (so the connection is reused); longer ones are reset. */
  static final long MAX_DISCARDED_BODY = 64 * 1024;

  private FetchRedirects() {}

  /** Whether a response with {@code status} and {@code location} to {@code method} is followed. */
  static boolean followed(HttpMethod method, int status, String location) {
    return method == HttpMethod.GET && FOLLOWED.contains(status) && location != null;
  }

  /**
   * Where the redirect {@code from} answered with leads.
   *
   * @param redirectsSoFar redirects already followed for this request
   * @throws ProxyFailure 502 past {@value #MAX_REDIRECTS} redirects or for a {@code Location} that
   *     is no http(s) URL, 403 for a hop from {@code https} to {@code http}
   */
  static RequestTarget next(RequestTarget from, String location, int redirectsSoFar) {
    if (redirectsSoFar >= MAX_REDIRECTS) {
      throw ProxyFailure.of(
          502, "too many redirects (more than " + MAX_REDIRECTS + ") from " + from.authority());
    }
    HttpUrl url;
    try {
      url = from.url().resolve(location);
    } catch (MalformedAddress e) {
      throw ProxyFailure.of(
          502,
          "origin "
              + from.authority()
              + " redirected to a URL that cannot be fetched: "
              + e.getMessage());
    }
    RequestTarget next = RequestTarget.of(url);
    if (from.tls() && !next.tls()) {
      throw Refusal.HTTPS_TO_HTTP.failure(
          "redirect from " + from.authority() + " (https) to " + next.authority() + " (http)");
    }
    return next;
  }

  /**
   * Whether two targets share scheme, host and port: the credentials of one may go to the other.
   */
  static boolean sameOrigin(RequestTarget a, RequestTarget b) {
    return a.tls() == b.tls() && a.host().equals(b.host()) && a.port() == b.port();
  }
}
