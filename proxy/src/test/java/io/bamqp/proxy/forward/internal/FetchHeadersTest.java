package io.bamqp.proxy.forward.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FetchHeadersTest {

  @Test
  void theFileIsNamedAfterTheLastPathSegmentWithoutTheQuery() {
    assertThat(FetchHeaders.attachment("/pub/debian-12.iso?X-Amz-Signature=ab"))
        .isEqualTo("attachment; filename=\"debian-12.iso\"");
    assertThat(FetchHeaders.attachment("/a/file%20name%2B1.tar.gz"))
        .isEqualTo("attachment; filename=\"file name+1.tar.gz\"");
  }

  @Test
  void aNonAsciiNameGetsAnRfc5987NameAndAnAsciiStandIn() {
    assertThat(FetchHeaders.attachment("/%C3%A9t%C3%A9%20%E2%82%AC.pdf"))
        .isEqualTo(
            "attachment; filename=\"_t_ _.pdf\"; filename*=UTF-8''%C3%A9t%C3%A9%20%E2%82%AC.pdf");
    assertThat(FetchHeaders.attachment("/%F0%9F%93%A6.zip"))
        .isEqualTo("attachment; filename=\"_.zip\"; filename*=UTF-8''%F0%9F%93%A6.zip");
  }

  @Test
  void quotesControlCharactersAndPathSeparatorsNeverReachTheName() {
    assertThat(FetchHeaders.fileName("/x/a%22b%0d%0aSet-Cookie:%20c.iso"))
        .isEqualTo("a_bSet-Cookie_ c.iso");
    assertThat(FetchHeaders.fileName("/x/..%2F..%2Fetc%2Fpasswd")).isEqualTo("_.._etc_passwd");
    assertThat(FetchHeaders.fileName("/x/..%5C..%5Cboot.ini")).isEqualTo("_.._boot.ini");
    assertThat(FetchHeaders.fileName("/x/%2E%2E")).isEqualTo("download");
    assertThat(FetchHeaders.fileName("/x/.bashrc")).isEqualTo("bashrc");
    assertThat(FetchHeaders.fileName("/x/a%E2%80%AEgpj.exe")).isEqualTo("agpj.exe");
    assertThat(FetchHeaders.fileName("/x/100%25%zz")).isEqualTo("100__zz");
    assertThat(FetchHeaders.attachment("/x/%22%5C")).isEqualTo("attachment; filename=\"__\"");
  }

  @Test
  void aUrlWithoutAFileNameGetsAFallbackAndALongNameIsCut() {
    assertThat(FetchHeaders.fileName("/")).isEqualTo("download");
    assertThat(FetchHeaders.fileName("/dir/?x=1")).isEqualTo("download");
    assertThat(FetchHeaders.fileName("/" + "a".repeat(300))).hasSize(FetchHeaders.MAX_NAME_LENGTH);
  }

  @Test
  void theOriginsOwnNameWinsAndTheGuardsAreAlwaysAdded() {
    MultiMap named = MultiMap.caseInsensitiveMultiMap().add("Content-Disposition", "inline");
    named.add("Content-Security-Policy", "default-src 'self'");
    FetchHeaders.apply(named, new RequestTarget("cdn.example", 443, "/f.iso", true));

    assertThat(named.get("Content-Disposition")).isEqualTo("inline");
    assertThat(named.get("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(named.getAll("Content-Security-Policy"))
        .containsExactly("default-src 'self'", "sandbox");

    MultiMap plain = MultiMap.caseInsensitiveMultiMap();
    FetchHeaders.apply(plain, new RequestTarget("cdn.example", 443, "/p/f.iso?sig=1", true));
    assertThat(plain.get("Content-Disposition")).isEqualTo("attachment; filename=\"f.iso\"");
  }
}
