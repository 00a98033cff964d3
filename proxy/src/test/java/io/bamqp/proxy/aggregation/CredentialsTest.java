package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class CredentialsTest {
  private static MultiMap headers() {
    return MultiMap.caseInsensitiveMultiMap();
  }

  @Test
  void cookiesAndAuthorizationAreCredentials() {
    assertThat(Credentials.carried(headers().add("Cookie", "s=1"), "/f.iso")).contains("Cookie");
    assertThat(Credentials.carried(headers().add("authorization", "Bearer x"), "/f.iso"))
        .contains("Authorization");
  }

  @Test
  void preSignedUrlsAreCredentialsWhateverTheCaseOrEncoding() {
    assertThat(Credentials.carried(headers(), "/b/f.iso?X-Amz-Signature=ab&X-Amz-Date=1"))
        .isEqualTo("the URL looks signed (query parameter 'x-amz-signature')");
    assertThat(Credentials.carried(headers(), "/f?se=2030&sv=1&SIG=abc")).contains("'sig'");
    assertThat(Credentials.carried(headers(), "/f?Key%2DPair%2DId=K1&x=1"))
        .contains("'key-pair-id'");
    assertThat(Credentials.carried(headers(), "/f?token")).contains("'token'");
  }

  @Test
  void sessionPathParametersAndSigningPairsAreCredentials() {
    MultiMap none = MultiMap.caseInsensitiveMultiMap();
    assertThat(Credentials.carried(none, "/dl/file.iso;jsessionid=ABC123")).contains("jsessionid");
    assertThat(Credentials.carried(none, "/dl;JSESSIONID=ABC/file.iso?x=1")).contains("jsessionid");
    assertThat(Credentials.carried(none, "/f.iso;phpsessid=1")).contains("phpsessid");
    assertThat(Credentials.carried(none, "/f.iso?PHPSESSID=1&x=2")).contains("phpsessid");
    assertThat(Credentials.carried(none, "/f.iso?a=1&jsessionid=ABC")).contains("jsessionid");
    assertThat(Credentials.carried(none, "/f.iso?md5=abc&expires=1700000000")).contains("md5");
    assertThat(Credentials.carried(none, "/f.iso?dlsession=xyz")).contains("dlsession");
    assertThat(Credentials.carried(none, "/f.iso?md5=abc")).isNull();
    assertThat(Credentials.carried(none, "/f.iso?expires=1700000000")).isNull();
    assertThat(Credentials.carried(none, "/f;version=2/file.iso")).isNull();
  }

  @Test
  void ordinaryQueriesAndPathsAreNotCredentials() {
    assertThat(Credentials.carried(headers(), "/debian/pool/main/f.deb")).isNull();
    assertThat(Credentials.carried(headers(), "/f.iso?version=2&mirror=eu")).isNull();
    assertThat(Credentials.carried(headers(), "/signature/f.iso?tokens=2")).isNull();
  }

  @Test
  void aListedDomainCoversItsSubdomainsOnly() {
    List<String> domains = List.of("example.com");
    assertThat(Credentials.listed("example.com", domains)).isTrue();
    assertThat(Credentials.listed("Downloads.Example.com.", domains)).isTrue();
    assertThat(Credentials.listed("badexample.com", domains)).isFalse();
    assertThat(Credentials.listed("example.com.evil.net", domains)).isFalse();
    assertThat(Credentials.listed("example.com", List.of())).isFalse();
  }
}
