package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bamqp.security.MalformedAddress.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HttpUrlTest {

  @Test
  void aLocationIsResolvedAgainstTheUrlThatAnsweredIt() {
    HttpUrl base = HttpUrl.parse("https://example.com:8443/a/b/file.iso?x=1");

    assertThat(base.resolve("http://Other.example/f")).hasToString("http://other.example/f");
    assertThat(base.resolve("//cdn.example/f?s=2")).hasToString("https://cdn.example/f?s=2");
    assertThat(base.resolve("/c/d")).hasToString("https://example.com:8443/c/d");
    assertThat(base.resolve("?y=2")).hasToString("https://example.com:8443/a/b/file.iso?y=2");
    assertThat(base.resolve("g.iso?s=1#frag"))
        .hasToString("https://example.com:8443/a/b/g.iso?s=1");
    assertThat(base.resolve("../g")).hasToString("https://example.com:8443/a/g");
    assertThat(base.resolve("./../../../g")).hasToString("https://example.com:8443/g");
    assertThat(base.resolve("/a/./b/../c/")).hasToString("https://example.com:8443/a/c/");
    assertThat(base.resolve("..")).hasToString("https://example.com:8443/a/");
    assertThat(base.resolve("")).isEqualTo(base);
  }

  @Test
  void aLocationThatIsNoHttpUrlIsRefusedLikeAnyOther() {
    HttpUrl base = HttpUrl.parse("http://example.com/");

    assertThatThrownBy(() -> base.resolve("ftp://example.com/f"))
        .isInstanceOf(MalformedAddress.class)
        .hasMessageContaining("not http or https");
    assertThatThrownBy(() -> base.resolve("javascript:alert(1)"))
        .isInstanceOf(MalformedAddress.class);
    assertThatThrownBy(() -> base.resolve("//user@evil.example/"))
        .hasMessageContaining("user information");
    assertThatThrownBy(() -> base.resolve("/a b")).hasMessageContaining("spaces");
  }

  @Test
  void anAbsoluteUrlSplitsIntoSchemeHostPortAndOriginFormTarget() {
    HttpUrl url = HttpUrl.parse("http://example.com:8080/a/b?c=d");

    assertThat(url.scheme()).isEqualTo("http");
    assertThat(url.tls()).isFalse();
    assertThat(url.host()).isEqualTo("example.com");
    assertThat(url.port()).isEqualTo(8080);
    assertThat(url.hostPort()).isEqualTo(HostPort.of("example.com", 8080));
    assertThat(url.pathAndQuery()).isEqualTo("/a/b?c=d");
    assertThat(url.hostHeader()).isEqualTo("example.com:8080");
    assertThat(url).hasToString("http://example.com:8080/a/b?c=d");
  }

  @Test
  void eachSchemeHasItsDefaultPortWhichTheHostHeaderLeavesOut() {
    assertThat(HttpUrl.parse("http://example.com/").port()).isEqualTo(80);
    HttpUrl https = HttpUrl.parse("https://example.com/");
    assertThat(https.port()).isEqualTo(443);
    assertThat(https.tls()).isTrue();
    assertThat(https.hostHeader()).isEqualTo("example.com");
    assertThat(HttpUrl.parse("https://example.com:80/").hostHeader()).isEqualTo("example.com:80");
    assertThat(HttpUrl.parse("http://example.com:443/").hostHeader()).isEqualTo("example.com:443");
  }

  @Test
  void schemeAndHostAreLowerCasedButThePathIsNot() {
    HttpUrl url = HttpUrl.parse("HTTPS://Example.COM/Files/X.iso?Sig=AbC");

    assertThat(url.scheme()).isEqualTo("https");
    assertThat(url.host()).isEqualTo("example.com");
    assertThat(url.pathAndQuery()).isEqualTo("/Files/X.iso?Sig=AbC");
    assertThat(HttpUrl.parse("hTtP://EXAMPLE.com")).isEqualTo(HttpUrl.parse("http://example.com/"));
  }

  @Test
  void aMissingPathBecomesSlashAndTheFragmentIsDropped() {
    assertThat(HttpUrl.parse("http://example.com").pathAndQuery()).isEqualTo("/");
    assertThat(HttpUrl.parse("http://example.com?x=1").pathAndQuery()).isEqualTo("/?x=1");
    assertThat(HttpUrl.parse("http://example.com#top").pathAndQuery()).isEqualTo("/");
    assertThat(HttpUrl.parse("http://example.com/a?b#c?d").pathAndQuery()).isEqualTo("/a?b");
    assertThat(HttpUrl.parse("http://example.com/a#frag with spaces").pathAndQuery())
        .isEqualTo("/a");
  }

  @Test
  void ipv6LiteralsComeInBracketsAndLeaveThemInTheHostHeader() {
    HttpUrl url = HttpUrl.parse("http://[2001:DB8::1]:81/x");

    assertThat(url.host()).isEqualTo("2001:db8::1");
    assertThat(url.port()).isEqualTo(81);
    assertThat(url.hostHeader()).isEqualTo("[2001:db8::1]:81");
    assertThat(HttpUrl.parse("https://[::1]").hostHeader()).isEqualTo("[::1]");
    assertThat(HttpUrl.parse("http://[::ffff:127.0.0.1]/").host()).isEqualTo("::ffff:127.0.0.1");
  }

  @Test
  void aTrailingDotAndNumericLookingNamesAreLeftForThePolicyToJudge() {
    assertThat(HttpUrl.parse("http://LOCALHOST./").host()).isEqualTo("localhost.");
    assertThat(HttpUrl.parse("http://2130706433/").hostPort().looksNumeric()).isTrue();
    assertThat(HttpUrl.parse("http://0x7f.1/").hostPort().isIpv4Literal()).isFalse();
  }

  @Test
  void onlyAbsoluteHttpAndHttpsUrlsAreRead() {
    assertRefused("example.com/x", Reason.NOT_ABSOLUTE, "not an absolute URL");
    assertRefused("/relative/path", Reason.NOT_ABSOLUTE, "not an absolute URL");
    assertRefused("http:/example.com/", Reason.NOT_ABSOLUTE, "not an absolute URL");
    assertRefused("", Reason.NOT_ABSOLUTE, "not an absolute URL");
    assertRefused("ftp://example.com/", Reason.UNSUPPORTED_SCHEME, "scheme 'ftp'");
    assertRefused("file:///etc/passwd", Reason.UNSUPPORTED_SCHEME, "scheme 'file'");
    assertRefused("HTTPX://example.com/", Reason.UNSUPPORTED_SCHEME, "scheme 'httpx'");
    assertRefused(" http://example.com/", Reason.UNSUPPORTED_SCHEME, "scheme ' http'");
    assertRefused("javascript://example.com/", Reason.UNSUPPORTED_SCHEME, "not http or https");
  }

  @Test
  void userInfoIsRefusedInEveryDisguise() {
    assertRefused("http://user:pw@example.com/", Reason.USER_INFO, "user information");
    assertRefused("http://@example.com/", Reason.USER_INFO, "user information");
    assertRefused("http://example.com@evil.example/", Reason.USER_INFO, "user information");
    assertRefused("http://a%40b@example.com/", Reason.USER_INFO, "user information");
    assertRefused("http://[::1]@evil.example/", Reason.USER_INFO, "user information");
    // an @ after the authority is part of the path, not user info
    assertThat(HttpUrl.parse("http://example.com/@me").host()).isEqualTo("example.com");
  }

  @Test
  void backslashesNeverEndTheAuthority() {
    assertRefused("http://example.com\\@evil.example/", Reason.USER_INFO, "user information");
    assertRefused("http://evil.example\\.example.com/", Reason.BAD_HOST, "bad host");
    assertThat(HttpUrl.parse("http://example.com/a\\b").pathAndQuery()).isEqualTo("/a\\b");
  }

  @Test
  void spacesAndControlCharactersAnywhereBeforeTheFragmentAreRefused() {
    assertRefused("http://example.com/a b", Reason.CONTROL_CHARACTERS, "spaces or control");
    assertRefused("http://example.com/a\r\nHost: evil", Reason.CONTROL_CHARACTERS, "control");
    assertRefused("http://example.com/?q=\t", Reason.CONTROL_CHARACTERS, "control");
    assertRefused("http://example.com/\u0000", Reason.CONTROL_CHARACTERS, "control");
    assertRefused("http://example.com/\u007f", Reason.CONTROL_CHARACTERS, "control");
    assertRefused("http://exa mple.com/", Reason.BAD_HOST, "bad host");
    assertRefused("http://example.com\t/", Reason.BAD_HOST, "bad host");
    assertRefused("http://example.com:80\n/", Reason.BAD_PORT, "bad port");
    assertThat(HttpUrl.parse("http://example.com/caf\u00e9").pathAndQuery())
        .isEqualTo("/caf\u00e9");
  }

  @Test
  void badPortsAreRefused() {
    assertRefused("http://example.com:0/", Reason.BAD_PORT, "bad port in 'example.com:0'");
    assertRefused("http://example.com:65536/", Reason.BAD_PORT, "bad port");
    assertRefused("http://example.com:99999/", Reason.BAD_PORT, "bad port");
    assertRefused("http://example.com:123456/", Reason.BAD_PORT, "bad port");
    assertRefused("http://example.com:/", Reason.BAD_PORT, "bad port");
    assertRefused("http://example.com:-1/", Reason.BAD_PORT, "bad port");
    assertRefused("http://example.com:+80/", Reason.BAD_PORT, "bad port");
    assertRefused("http://example.com:8o/", Reason.BAD_PORT, "bad port");
    assertRefused("http://example.com: 80/", Reason.BAD_PORT, "bad port");
    assertRefused("http://example.com:\u0668\u0660/", Reason.BAD_PORT, "bad port");
    assertRefused("http://[::1]:/", Reason.BAD_PORT, "bad port");
    assertThat(HttpUrl.parse("http://example.com:65535/").port()).isEqualTo(65535);
    assertThat(HttpUrl.parse("http://example.com:00080/").port()).isEqualTo(80);
  }

  @Test
  void hostsMustBePlainAsciiNamesOrBracketedIpv6() {
    assertRefused("http:///path", Reason.NO_HOST, "bad host");
    assertRefused("http://:80/", Reason.NO_HOST, "bad host");
    assertRefused("http://?q", Reason.NO_HOST, "bad host");
    assertRefused("http://%31%32%37.0.0.1/", Reason.BAD_HOST, "bad host");
    assertRefused("http://exa%2emple.com/", Reason.BAD_HOST, "bad host");
    assertRefused("http://b\u00fccher.example/", Reason.BAD_HOST, "bad host");
    assertRefused("http://\u212Aelvin.example/", Reason.BAD_HOST, "bad host"); // lower-cases to k
    assertRefused("http://exa!mple.com/", Reason.BAD_HOST, "bad host");
    assertRefused("http://a]b/", Reason.BAD_HOST, "bad host");
    assertRefused("http://a[b]/", Reason.BAD_HOST, "bad host");
    assertThat(HttpUrl.parse("http://xn--bcher-kva.example/").host())
        .isEqualTo("xn--bcher-kva.example");
    assertThat(HttpUrl.parse("http://under_score.example/").host())
        .isEqualTo("under_score.example");
  }

  @Test
  void ipv6LiteralsAreCheckedAndZonesRefused() {
    assertRefused("http://[::1/", Reason.BAD_IPV6, "bad IPv6 authority '[::1'");
    assertRefused("http://[::1]x/", Reason.BAD_AUTHORITY, "bad authority");
    assertRefused("http://[::1]x:80/", Reason.BAD_AUTHORITY, "bad authority");
    assertRefused("http://[::1]]/", Reason.BAD_AUTHORITY, "bad authority");
    assertRefused("http://[[::1]]/", Reason.BAD_IPV6, "bad IPv6");
    assertRefused("http://[]/", Reason.NO_HOST, "bad host");
    assertRefused("http://[example.com]/", Reason.BAD_IPV6, "bad IPv6");
    assertRefused("http://[127.0.0.1]/", Reason.BAD_IPV6, "bad IPv6");
    assertRefused("http://[1::2::3]/", Reason.BAD_IPV6, "bad IPv6");
    assertRefused("http://[1:2:3:4:5:6:7:8:9]/", Reason.BAD_IPV6, "bad IPv6");
    assertRefused("http://[fe80::1%eth0]/", Reason.BAD_IPV6, "bad IPv6");
    assertRefused("http://[fe80::1%25eth0]/", Reason.BAD_IPV6, "bad IPv6");
    assertRefused("http://[fe80::1%]/", Reason.BAD_IPV6, "bad IPv6");
    assertRefused("http://[v1.fe80::a+en1]/", Reason.BAD_IPV6, "bad IPv6");
    assertRefused("http://::1/", Reason.UNBRACKETED_IPV6, "bad host");
    assertRefused("http://2001:db8::1:80/", Reason.UNBRACKETED_IPV6, "bad host");
    assertRefused("http://example.com:80:80/", Reason.UNBRACKETED_IPV6, "bad host");
  }

  @Test
  void veryLongInputsAreReadInLinearTime() {
    String label = "a".repeat(200_000);
    assertThat(HttpUrl.parse("http://" + label + "/").hostPort().isDnsName()).isFalse();
    assertThat(HttpUrl.parse("http://example.com/" + label).pathAndQuery()).hasSize(200_001);
    assertRefused("http://" + "[".repeat(100_000), Reason.BAD_IPV6, "bad IPv6");
    assertRefused("http://" + ":".repeat(100_000), Reason.UNBRACKETED_IPV6, "bad host");
    assertRefused("http://[" + "1:".repeat(50_000) + "]/", Reason.BAD_IPV6, "bad IPv6");
    assertRefused("http://example.com:" + "9".repeat(100_000) + "/", Reason.BAD_PORT, "bad port");
  }

  private static void assertRefused(String url, Reason reason, String message) {
    assertThatThrownBy(() -> HttpUrl.parse(url))
        .as(url)
        .isInstanceOfSatisfying(
            MalformedAddress.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }
}
