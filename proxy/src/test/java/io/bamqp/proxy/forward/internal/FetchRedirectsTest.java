package io.bamqp.proxy.forward.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FetchRedirectsTest {
  private static final RequestTarget HTTPS = new RequestTarget("a.example", 443, "/d/f", true);
  private static final RequestTarget HTTP = new RequestTarget("a.example", 80, "/d/f");

  @Test
  void everyRedirectStatusIsFollowedOnGetWhenItHasALocation() {
    for (int status : new int[] {301, 302, 303, 307, 308}) {
      assertThat(FetchRedirects.followed(HttpMethod.GET, status, "/x")).isTrue();
    }
    assertThat(FetchRedirects.followed(HttpMethod.GET, 300, "/x")).isFalse();
    assertThat(FetchRedirects.followed(HttpMethod.GET, 304, "/x")).isFalse();
    assertThat(FetchRedirects.followed(HttpMethod.GET, 302, null)).isFalse();
    assertThat(FetchRedirects.followed(HttpMethod.HEAD, 302, "/x")).isFalse();
  }

  @Test
  void theLocationIsResolvedAgainstTheUrlThatAnswered() {
    assertThat(FetchRedirects.next(HTTPS, "g.iso?X-Amz-Signature=1", 0))
        .isEqualTo(new RequestTarget("a.example", 443, "/d/g.iso?X-Amz-Signature=1", true));
    assertThat(FetchRedirects.next(HTTPS, "https://cdn.example:8443/f", 3))
        .isEqualTo(new RequestTarget("cdn.example", 8443, "/f", true));
    assertThat(FetchRedirects.next(HTTP, "https://cdn.example/f", 0).tls()).isTrue();
    assertThat(FetchRedirects.next(HTTP, "//10.0.0.1/f", 0))
        .isEqualTo(new RequestTarget("10.0.0.1", 80, "/f"));
  }

  @Test
  void fromHttpsToHttpIsRefused() {
    assertThatThrownBy(() -> FetchRedirects.next(HTTPS, "http://a.example/f", 0))
        .isInstanceOfSatisfying(
            ProxyFailure.class,
            failure -> {
              assertThat(failure.status()).isEqualTo(403);
              assertThat(failure.detail())
                  .isEqualTo("redirect from a.example:443 (https) to a.example:80 (http)");
            })
        .hasMessage("HTTPS_TO_HTTP: a redirect from https to http is not followed");
  }

  @Test
  void theEleventhRedirectAndUnusableLocationsAre502() {
    assertThat(FetchRedirects.next(HTTP, "/g", FetchRedirects.MAX_REDIRECTS - 1)).isNotNull();
    assertThatThrownBy(() -> FetchRedirects.next(HTTP, "/g", FetchRedirects.MAX_REDIRECTS))
        .isInstanceOfSatisfying(
            ProxyFailure.class, failure -> assertThat(failure.status()).isEqualTo(502))
        .hasMessageContaining("too many redirects (more than 10)");
    assertThatThrownBy(() -> FetchRedirects.next(HTTP, "ftp://a.example/f", 0))
        .hasMessageContaining("redirected to a URL that cannot be fetched");
    assertThatThrownBy(() -> FetchRedirects.next(HTTP, "http://user@b.example/", 0))
        .hasMessageContaining("user information");
  }

  @Test
  void credentialsStayWithinOneSchemeHostAndPort() {
    assertThat(FetchRedirects.sameOrigin(HTTP, new RequestTarget("a.example", 80, "/x"))).isTrue();
    assertThat(FetchRedirects.sameOrigin(HTTP, HTTPS)).isFalse();
    assertThat(FetchRedirects.sameOrigin(HTTP, new RequestTarget("b.example", 80, "/d/f")))
        .isFalse();
  }
}
