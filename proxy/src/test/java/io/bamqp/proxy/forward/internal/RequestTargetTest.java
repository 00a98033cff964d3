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

  private static void assertRefused(String uri, String host, String reason) {
    assertThatThrownBy(() -> RequestTarget.of(HttpMethod.GET, uri, host))
        .isInstanceOfSatisfying(
            ProxyFailure.class, failure -> assertThat(failure.status()).isEqualTo(400))
        .hasMessageContaining(reason);
  }
}
