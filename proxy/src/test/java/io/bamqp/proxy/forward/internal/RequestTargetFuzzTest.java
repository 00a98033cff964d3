package io.bamqp.proxy.forward.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.HangDetector;
import io.bamqp.security.HttpUrl;
import io.vertx.core.http.HttpMethod;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based tests of where a client's request goes: any request-target in any of the three
 * forms, with any {@code Host} header, is either routed to a host and port that cannot split the
 * request sent upstream, or refused with the proxy's own 400; never another failure (a 500).
 */
class RequestTargetFuzzTest {

  @Property(tries = 3000)
  void anyRequestTargetIsRoutedSafelyOrRefusedWith400(
      @ForAll("methods") HttpMethod method,
      @ForAll("targets") String uri,
      @ForAll("hostHeaders") String host)
      throws Exception {
    RequestTarget target;
    try {
      target = HangDetector.call(() -> RequestTarget.of(method, uri, host));
    } catch (ProxyFailure refused) {
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    assertThat(target.port()).isBetween(1, 65_535);
    assertThat(target.host().chars())
        .isNotEmpty()
        .allMatch(c -> c > ' ' && c < 0x7f)
        .noneMatch(c -> "/?#@%\\ ".indexOf(c) >= 0);
    assertThat(target.pathAndQuery().chars())
        .as("nothing in the target can split the request line sent upstream")
        .noneMatch(c -> c <= ' ' || c == 0x7f);
    if (method == HttpMethod.CONNECT) {
      assertThat(target.pathAndQuery()).isEmpty();
      return;
    }
    assertThat(target.pathAndQuery()).startsWith("/");
    HttpUrl url = target.url();
    assertThat(url.host()).isEqualTo(target.host());
    assertThat(url.port()).isEqualTo(target.port());
    assertThat(url.pathAndQuery()).isEqualTo(target.pathAndQuery());
    assertThat(RequestTarget.of(url)).isEqualTo(target);
  }

  @Property(tries = 2000)
  void aFetchEndpointUrlNamesAnHttpTargetOrIsRefusedWith400(@ForAll("fetchQueries") String query)
      throws Exception {
    RequestTarget endpoint = new RequestTarget("127.0.0.1", 3128, "/fetch?" + query);
    assertThat(endpoint.isFetchEndpoint()).isTrue();
    RequestTarget fetched;
    try {
      fetched = HangDetector.call(endpoint::fetchedUrl);
    } catch (ProxyFailure refused) {
      assertThat(refused.status()).isEqualTo(400);
      return;
    }
    assertThat(fetched.pathAndQuery()).startsWith("/");
    assertThat(fetched.pathAndQuery().chars()).noneMatch(c -> c <= ' ' || c == 0x7f);
    assertThat(HttpUrl.parse(fetched.absoluteUrl())).isEqualTo(fetched.url());
  }

  @Provide
  Arbitrary<HttpMethod> methods() {
    return Arbitraries.of(
        HttpMethod.GET, HttpMethod.GET, HttpMethod.POST, HttpMethod.HEAD, HttpMethod.CONNECT);
  }

  @Provide
  Arbitrary<String> targets() {
    Arbitrary<String> valid =
        Arbitraries.of(
            "/",
            "/file.iso?x=1&y=%20",
            "/a/../b;jsessionid=1",
            "/fetch?url=https://origin.example/f.iso",
            "http://origin.example/a",
            "HTTP://Origin.Example:8080",
            "http://[::1]:81/x",
            "https://origin.example/",
            "ftp://origin.example/",
            "origin.example:443",
            "[2001:db8::1]:443",
            "origin.example",
            "*",
            "");
    return Arbitraries.oneOf(
        valid,
        mutated(valid),
        mutated(mutated(valid)),
        Arbitraries.strings().all().ofMaxLength(30),
        Arbitraries.strings().withChars("/?#:@[]%.abc019 \r\n\t\u0001\u007f").ofMaxLength(30));
  }

  @Provide
  Arbitrary<String> hostHeaders() {
    Arbitrary<String> valid =
        Arbitraries.of("origin.example", "origin.example:8081", "[::1]:80", " origin.example ");
    return Arbitraries.oneOf(
        valid, mutated(valid), Arbitraries.of("", " "), Arbitraries.just(null));
  }

  @Provide
  Arbitrary<String> fetchQueries() {
    Arbitrary<String> valid =
        Arbitraries.of(
            "url=https://origin.example/f.iso?x=1&y=2",
            "url=https%3A%2F%2Forigin.example%2Ff.iso",
            "a=1&url=http://origin.example/",
            "url=",
            "url=%",
            "url=%E0%A4%A",
            "url=javascript:alert(1)",
            "url=https%3A%2F%2Forigin.example%2F%0D%0AX%3A%201",
            "nourl=1");
    return Arbitraries.oneOf(valid, mutated(valid), mutated(mutated(valid)));
  }

  /** {@code text} with a hostile character inserted, a character replaced, or cut short. */
  static Arbitrary<String> mutated(Arbitrary<String> texts) {
    return Combinators.combine(
            texts,
            Arbitraries.of(
                '\r', '\n', '\0', ' ', '\t', '\u0001', '\u007f', '\u0085', '\u2028', '%', '#', '?',
                '/', '@', ':', '[', ']', '\u212a', '\ud800', '&', '='),
            Arbitraries.integers().between(0, 1000),
            Arbitraries.integers().between(0, 2))
        .as(
            (text, c, where, how) -> {
              int at = text.isEmpty() ? 0 : where % (text.length() + 1);
              return switch (how) {
                case 0 -> text.substring(0, at) + c + text.substring(at);
                case 1 ->
                    at < text.length() ? text.substring(0, at) + c + text.substring(at + 1) : text;
                default -> text.substring(0, at);
              };
            });
  }
}
