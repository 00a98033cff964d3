package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based tests of the one URL parser: a URL from a client, a {@code /fetch?url=} or a
 * neighbor is read into parts that cannot split a request, or refused with a {@link
 * MalformedAddress}; what is read prints back to itself; {@code Location} resolution obeys the same
 * rules.
 */
class HttpUrlFuzzTest {

  @Property(tries = 3000)
  void anyUrlIsReadIntoPartsThatCannotSplitARequestOrRefusedAsMalformed(@ForAll("urls") String url)
      throws Exception {
    HttpUrl parsed;
    try {
      parsed = HangDetector.call(() -> HttpUrl.parse(url));
    } catch (MalformedAddress refused) {
      assertThat(refused.reason()).isNotNull();
      return;
    }
    assertSafe(parsed);
    assertThat(HttpUrl.parse(parsed.toString())).isEqualTo(parsed);
    assertThat(parsed.toString()).doesNotContain("#");
  }

  @Property(tries = 2000)
  void aLocationResolvesToAUrlThatPassesTheSameChecksOrIsRefused(
      @ForAll("validUrls") String base, @ForAll("references") String reference) throws Exception {
    HttpUrl from = HttpUrl.parse(base);
    HttpUrl to;
    try {
      to = HangDetector.call(() -> from.resolve(reference));
    } catch (MalformedAddress refused) {
      assertThat(refused.reason()).isNotNull();
      return;
    }
    assertSafe(to);
    assertThat(HttpUrl.parse(to.toString())).isEqualTo(to);
    String ref = reference.trim().replaceFirst("(?s)#.*", "");
    String refPath = ref.replaceFirst("(?s)\\?.*", "");
    if (!ref.matches("(?s)[A-Za-z][A-Za-z0-9+.-]*:.*|//.*")) {
      // A relative reference keeps the origin; one with a path leaves no dot segment in it (RFC
      // 3986 §5.2; an empty path keeps the base's path as it is).
      assertThat(to.hostPort()).isEqualTo(from.hostPort());
      String path = to.pathAndQuery().replaceFirst("(?s)\\?.*", "");
      if (!refPath.isEmpty()) {
        assertThat(path.split("/", -1)).doesNotContain(".", "..");
      }
    }
  }

  static void assertSafe(HttpUrl parsed) {
    assertThat(parsed.scheme()).isIn("http", "https");
    HostPortFuzzTest.assertSafe(parsed.hostPort());
    assertThat(parsed.hostPort().hasZone()).isFalse();
    assertThat(parsed.port()).isBetween(1, 65_535);
    assertThat(parsed.pathAndQuery()).startsWith("/").doesNotContain("#");
    assertThat(parsed.pathAndQuery().chars()).noneMatch(c -> c <= ' ' || c == 0x7f);
    assertThat(parsed.hostHeader().chars()).noneMatch(c -> c <= ' ' || c == 0x7f);
  }

  @Provide
  Arbitrary<String> validUrls() {
    Arbitrary<String> segments =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withChars("0123456789-._~%;=")
            .ofMaxLength(8)
            .list()
            .ofMaxSize(5)
            .map(list -> "/" + String.join("/", list));
    Arbitrary<String> query =
        Arbitraries.strings().withCharRange('a', 'z').withChars("=&%/?").ofMaxLength(12);
    return Combinators.combine(
            Arbitraries.of("http", "https", "HTTP", "hTtPs"),
            Arbitraries.of(
                "example.com",
                "Mirror.Example:8080",
                "127.0.0.1",
                "[::1]",
                "[2001:db8::7]:443",
                "a.b.c.",
                "x_y-z:65535"),
            segments,
            query,
            Arbitraries.of("", "#frag", "#a#b"))
        .as((s, a, p, q, f) -> s + "://" + a + p + (q.isEmpty() ? "" : "?" + q) + f);
  }

  @Provide
  Arbitrary<String> urls() {
    return Arbitraries.oneOf(
        validUrls(),
        HostPortFuzzTest.mutated(validUrls()),
        HostPortFuzzTest.mutated(HostPortFuzzTest.mutated(validUrls())),
        Combinators.combine(
                Arbitraries.of("http://", "https://", "ftp://", "http:/", "://", ""),
                Arbitraries.strings().all().ofMaxLength(40))
            .as((s, rest) -> s + rest));
  }

  @Provide
  Arbitrary<String> references() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "",
            "?x=1",
            "/abs/path",
            "rel/./../x",
            "../../../../etc",
            ".",
            "..",
            "//other.example/p",
            "https://third.example:8443/z",
            "javascript:alert(1)",
            "  /padded  ",
            "#frag-only"),
        HostPortFuzzTest.mutated(validUrls()),
        Arbitraries.strings().withChars("./?#:ab%\r\n ").ofMaxLength(20));
  }
}
