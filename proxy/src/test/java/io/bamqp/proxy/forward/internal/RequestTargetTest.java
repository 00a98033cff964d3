package io.bamqp.proxy.forward.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

class RequestTargetTest {

  @Test
  void absoluteFormNamesHostPortAndPath() {
    RequestTarget target =
        RequestTarget.of(HttpMethod.GET, "http://Example.COM:8080/a/b?c=d#frag", "ignored");

    assertThat(target).isEqualTo(new RequestTarget("example.com", 8080, "/a/b?c=d"));
    assertThat(target.authority()).isEqualTo("example.com:8080");
    assertThat(target.pathForLog()).isEqualTo("/a/b?…");
  }

  @Test
  void absoluteFormWithoutPathOrPortDefaultsToSlashAndPort80() {
    assertThat(RequestTarget.of(HttpMethod.GET, "http://example.com", null))
        .isEqualTo(new RequestTarget("example.com", 80, "/"));
    assertThat(RequestTarget.of(HttpMethod.GET, "http://example.com?x=1", null).pathAndQuery())
        .isEqualTo("/?x=1");
  }

  @Test
  void ipv6LiteralsKeepTheirBracketsInTheAuthority() {
    RequestTarget target = RequestTarget.of(HttpMethod.GET, "http://[2001:db8::1]:81/", null);

    assertThat(target.host()).isEqualTo("2001:db8::1");
    assertThat(target.authority()).isEqualTo("[2001:db8::1]:81");
  }

  @Test
  void originFormIsRoutedByTheHostHeader() {
    assertThat(RequestTarget.of(HttpMethod.GET, "/file.iso", "mirror.example:8081"))
        .isEqualTo(new RequestTarget("mirror.example", 8081, "/file.iso"));
    assertThat(RequestTarget.of(HttpMethod.GET, "/", "mirror.example").port()).isEqualTo(80);
  }

  @Test
  void connectTakesAnAuthorityWithAPort() {
    assertThat(RequestTarget.of(HttpMethod.CONNECT, "example.com:443", null))
        .isEqualTo(new RequestTarget("example.com", 443, ""));
    assertThatThrownBy(() -> RequestTarget.of(HttpMethod.CONNECT, "example.com", null))
        .hasMessageContaining("CONNECT needs host:port");
  }

  @Test
  void unusableTargetsAreRefusedWith400AndAReason() {
    assertRefused("https://example.com/", "example.com", "CONNECT");
    assertRefused("ftp://example.com/", null, "only http://");
    assertRefused("/path", null, "without a Host header");
    assertRefused("*", "example.com", "not a URL or a path");
    assertRefused("http://user:secret@example.com/", null, "user information");
    assertRefused("http://example.com:0/", null, "bad port");
    assertRefused("http://example.com:70000/", null, "bad port");
    assertRefused("http://exa mple.com/", null, "bad host");
    assertRefused("http://[::1/", null, "bad IPv6 authority");
  }

  @Test
  void theFetchEndpointNamesAnHttpOrHttpsUrl() {
    RequestTarget fetch =
        RequestTarget.of(
            HttpMethod.GET, "/fetch?url=HTTPS%3A%2F%2FExample.com%2Ff.iso%23x", "router:3128");

    assertThat(fetch.isFetchEndpoint()).isTrue();
    assertThat(fetch.fetchedUrl()).isEqualTo(new RequestTarget("example.com", 443, "/f.iso", true));
    assertThat(
            RequestTarget.of(HttpMethod.GET, "/fetch?url=http%3A%2F%2Fa.example:81", "r")
                .fetchedUrl())
        .isEqualTo(new RequestTarget("a.example", 81, "/"));
    assertThatThrownBy(
            () ->
                RequestTarget.of(HttpMethod.GET, "/fetch?url=ftp%3A%2F%2Fa.example%2F", "r")
                    .fetchedUrl())
        .hasMessageContaining("/fetch takes an http:// or https:// URL");
    assertThatThrownBy(
            () ->
                RequestTarget.of(
                        HttpMethod.GET, "/fetch?url=http%3A%2F%2Fa.example%2F%0d%0aX:%20y", "r")
                    .fetchedUrl())
        .isInstanceOfSatisfying(
            ProxyFailure.class, failure -> assertThat(failure.status()).isEqualTo(400))
        .hasMessageContaining("spaces or control characters");
  }

  @Test
  void theFetchEndpointTakesAnUnencodedUrlWithItsOwnQuery() {
    RequestTarget fetch =
        RequestTarget.of(
            HttpMethod.GET, "/fetch?url=https://Host.example/p/file.iso?x=1&y=a%20b", "router");

    assertThat(fetch.fetchedUrl())
        .isEqualTo(new RequestTarget("host.example", 443, "/p/file.iso?x=1&y=a%20b", true));
    assertThat(
            RequestTarget.of(
                    HttpMethod.GET, "http://router:3128/fetch?url=http://a.example:81/f?q", "x")
                .fetchedUrl())
        .isEqualTo(new RequestTarget("a.example", 81, "/f?q"));
    assertThat(
            RequestTarget.of(HttpMethod.GET, "/fetch?name=x&url=HTTP://a.example/f&z=1", "r")
                .fetchedUrl())
        .isEqualTo(new RequestTarget("a.example", 80, "/f&z=1"));
    assertThat(
            RequestTarget.of(HttpMethod.GET, "/fetch?url=http%3A%2F%2Fa.example%2Ff&z=1", "r")
                .fetchedUrl())
        .isEqualTo(new RequestTarget("a.example", 80, "/f"));
    assertThatThrownBy(
            () ->
                RequestTarget.of(HttpMethod.GET, "/fetch?url=ftp://a.example/f", "r").fetchedUrl())
        .hasMessageContaining("/fetch takes an http:// or https:// URL");
    assertThatThrownBy(() -> RequestTarget.of(HttpMethod.GET, "/fetch?url=%zz", "r").fetchedUrl())
        .hasMessageContaining("malformed percent-encoding");
    assertThatThrownBy(() -> RequestTarget.of(HttpMethod.GET, "/fetch?urlx=1&", "r").fetchedUrl())
        .hasMessageContaining("/fetch needs ?url=");
  }

  @Test
  void anOriginFormPathMayCarryAUrlInItsQuery() {
    assertThat(RequestTarget.of(HttpMethod.GET, "/go?to=https://b.example/", "a.example"))
        .isEqualTo(new RequestTarget("a.example", 80, "/go?to=https://b.example/"));
  }

  @Test
  void hostileAuthoritiesAreRefusedWith400InEveryForm() {
    assertRefused("http://[::1]junk/", null, "bad authority");
    assertRefused("http://[example.com]/", null, "bad IPv6 authority");
    assertRefused("http://2001:db8::1:80/", null, "bad host");
    assertRefused("http://%31%32%37.0.0.1/", null, "bad host");
    assertRefused("http://evil.example\\@good.example/", null, "user information");
    assertRefused("/", "exa mple.com", "bad host");
    assertRefused("/", "example.com:0", "bad port");
    assertRefused("/", "[::1", "bad IPv6 authority");
    assertThatThrownBy(() -> RequestTarget.of(HttpMethod.CONNECT, "[::1]:99999", null))
        .hasMessageContaining("bad port");
    assertThat(RequestTarget.of(HttpMethod.CONNECT, "[::1]:443", null).authority())
        .isEqualTo("[::1]:443");
  }

  @Test
  void anOriginFormTargetWithControlCharactersIsRefusedLikeAnAbsoluteOne() {
    for (String uri : new String[] {"/a\u0001b", "/f.iso\u007f", "/a b", "/\tx", "/x\ry"}) {
      assertRefused(uri, "origin.example", "spaces or control characters");
      assertRefused("http://origin.example" + uri, null, "spaces or control characters");
    }
  }

  @Test
  void anOriginFormTargetLosesItsFragmentAsAnAbsoluteOneDoes() {
    assertThat(RequestTarget.of(HttpMethod.GET, "/f.iso?#=1&y=2", "origin.example").pathAndQuery())
        .isEqualTo("/f.iso?")
        .isEqualTo(
            RequestTarget.of(HttpMethod.GET, "http://o.example/f.iso?#=1&y=2", null)
                .pathAndQuery());
  }

  @Test
  void anIpv6ZoneIsRefusedInAHostHeaderAndAConnectTargetAsInAUrl() {
    assertRefused("/", "[fe80::1%eth0]:80", "zone");
    assertRefused("/", "[::%1]", "zone");
    assertRefused("http://[fe80::1%eth0]/", null, "bad IPv6 authority");
    assertThatThrownBy(() -> RequestTarget.of(HttpMethod.CONNECT, "[fe80::1%eth0]:443", null))
        .isInstanceOfSatisfying(
            ProxyFailure.class, failure -> assertThat(failure.status()).isEqualTo(400))
        .hasMessageContaining("zone");
  }

  private static void assertRefused(String uri, String host, String reason) {
    assertThatThrownBy(() -> RequestTarget.of(HttpMethod.GET, uri, host))
        .isInstanceOfSatisfying(
            ProxyFailure.class, failure -> assertThat(failure.status()).isEqualTo(400))
        .hasMessageContaining(reason);
  }
}
