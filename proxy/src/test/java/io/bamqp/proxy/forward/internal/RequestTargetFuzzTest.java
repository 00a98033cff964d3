package io.bamqp.proxy.forward.internal;

import static io.bamqp.security.Fuzz.anyStrings;
import static io.bamqp.security.Fuzz.of;
import static io.bamqp.security.Fuzz.oneOf;
import static io.bamqp.security.Fuzz.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.Fuzz;
import io.bamqp.security.Fuzz.Gen;
import io.bamqp.security.HttpUrl;
import io.vertx.core.http.HttpMethod;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests of where a client's request goes: any request-target in any of the three
 * forms, with any {@code Host} header, is either routed to a host and port that cannot split the
 * request sent upstream, or refused with the proxy's own 400; never another failure (a 500).
 */
class RequestTargetFuzzTest {

  /** Characters that split requests or hide one part in another, and look-alikes. */
  static final String HOSTILE = "\r\n\0 \t\u0001\u007f\u0085\u2028%#?/@:[]\u212a\ud800&=";

  private static final List<String> VALID_TARGETS =
      List.of(
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

  record Routed(HttpMethod method, String uri, String host) {}

  @Test
  void anyRequestTargetIsRoutedSafelyOrRefusedWith400() {
    Gen<HttpMethod> methods =
        of(HttpMethod.GET, HttpMethod.GET, HttpMethod.POST, HttpMethod.HEAD, HttpMethod.CONNECT);
    Gen<String> valid = of(VALID_TARGETS);
    Gen<String> targets =
        oneOf(
            valid,
            mutated(valid),
            mutated(mutated(valid)),
            anyStrings(30),
            strings("/?#:@[]%.abc019 \r\n\t\u0001\u007f", 0, 30));
    Gen<String> validHosts =
        of("origin.example", "origin.example:8081", "[::1]:80", " origin.example ");
    Gen<String> hostHeaders = oneOf(validHosts, mutated(validHosts), of("", " "), random -> null);
    List<Routed> edgeCases = new java.util.ArrayList<>();
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.CONNECT)) {
      for (String uri : VALID_TARGETS) {
        for (String host : Arrays.asList(null, "", "origin.example")) {
          edgeCases.add(new Routed(method, uri, host));
        }
      }
    }
    Fuzz.check(
        "anyRequestTargetIsRoutedSafelyOrRefusedWith400",
        3000,
        edgeCases,
        random ->
            new Routed(methods.apply(random), targets.apply(random), hostHeaders.apply(random)),
        input -> routedSafelyOrRefused(input.method(), input.uri(), input.host()));
  }

  private static void routedSafelyOrRefused(HttpMethod method, String uri, String host) {
    RequestTarget target;
    try {
      target = RequestTarget.of(method, uri, host);
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

  @Test
  void aFetchEndpointUrlNamesAnHttpTargetOrIsRefusedWith400() {
    List<String> validQueries =
        List.of(
            "url=https://origin.example/f.iso?x=1&y=2",
            "url=https%3A%2F%2Forigin.example%2Ff.iso",
            "a=1&url=http://origin.example/",
            "url=",
            "url=%",
            "url=%E0%A4%A",
            "url=javascript:alert(1)",
            "url=https%3A%2F%2Forigin.example%2F%0D%0AX%3A%201",
            "nourl=1");
    Gen<String> valid = of(validQueries);
    Fuzz.check(
        "aFetchEndpointUrlNamesAnHttpTargetOrIsRefusedWith400",
        2000,
        validQueries,
        oneOf(valid, mutated(valid), mutated(mutated(valid))),
        query -> {
          RequestTarget endpoint = new RequestTarget("127.0.0.1", 3128, "/fetch?" + query);
          assertThat(endpoint.isFetchEndpoint()).isTrue();
          RequestTarget fetched;
          try {
            fetched = endpoint.fetchedUrl();
          } catch (ProxyFailure refused) {
            assertThat(refused.status()).isEqualTo(400);
            return;
          }
          assertThat(fetched.pathAndQuery()).startsWith("/");
          assertThat(fetched.pathAndQuery().chars()).noneMatch(c -> c <= ' ' || c == 0x7f);
          assertThat(HttpUrl.parse(fetched.absoluteUrl())).isEqualTo(fetched.url());
        });
  }

  /** {@code text} with a hostile character inserted, a character replaced, or cut short. */
  static Gen<String> mutated(Gen<String> texts) {
    return Fuzz.mutated(texts, HOSTILE);
  }
}
