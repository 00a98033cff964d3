package io.bamqp.security;

import static io.bamqp.security.Fuzz.anyStrings;
import static io.bamqp.security.Fuzz.of;
import static io.bamqp.security.Fuzz.oneOf;
import static io.bamqp.security.Fuzz.range;
import static io.bamqp.security.Fuzz.strings;
import static io.bamqp.security.HostPortFuzzTest.mutated;
import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.Fuzz.Gen;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests of the one URL parser: a URL from a client, a {@code /fetch?url=} or a
 * neighbor is read into parts that cannot split a request, or refused with a {@link
 * MalformedAddress}; what is read prints back to itself; {@code Location} resolution obeys the same
 * rules.
 */
class HttpUrlFuzzTest {
  static final Gen<String> VALID_URLS = validUrls();

  @Test
  void anyUrlIsReadIntoPartsThatCannotSplitARequestOrRefusedAsMalformed() {
    Gen<String> urls =
        oneOf(
            VALID_URLS,
            mutated(VALID_URLS),
            mutated(mutated(VALID_URLS)),
            random ->
                of("http://", "https://", "ftp://", "http:/", "://", "").apply(random)
                    + anyStrings(40).apply(random));
    Fuzz.check(
        "anyUrlIsReadIntoPartsThatCannotSplitARequestOrRefusedAsMalformed",
        3000,
        List.of("", "http://", "http://a", "http://[::1", "http://a:0/", "http://a:65536/"),
        urls,
        url -> {
          HttpUrl parsed;
          try {
            parsed = HttpUrl.parse(url);
          } catch (MalformedAddress refused) {
            assertThat(refused.reason()).isNotNull();
            return;
          }
          assertSafe(parsed);
          assertThat(HttpUrl.parse(parsed.toString())).isEqualTo(parsed);
          assertThat(parsed.toString()).doesNotContain("#");
        });
  }

  record Resolution(String base, String reference) {}

  @Test
  void aLocationResolvesToAUrlThatPassesTheSameChecksOrIsRefused() {
    Gen<String> references =
        oneOf(
            of(
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
            mutated(VALID_URLS),
            strings("./?#:ab%\r\n ", 0, 20));
    Fuzz.check(
        "aLocationResolvesToAUrlThatPassesTheSameChecksOrIsRefused",
        2000,
        random -> new Resolution(VALID_URLS.apply(random), references.apply(random)),
        input -> {
          HttpUrl from = HttpUrl.parse(input.base());
          String reference = input.reference();
          HttpUrl to;
          try {
            to = from.resolve(reference);
          } catch (MalformedAddress refused) {
            assertThat(refused.reason()).isNotNull();
            return;
          }
          assertSafe(to);
          assertThat(HttpUrl.parse(to.toString())).isEqualTo(to);
          String ref = reference.trim().replaceFirst("(?s)#.*", "");
          String refPath = ref.replaceFirst("(?s)\\?.*", "");
          if (!ref.matches("(?s)[A-Za-z][A-Za-z0-9+.-]*:.*|//.*")) {
            // A relative reference keeps the origin; one with a path leaves no dot segment in it
            // (RFC 3986 §5.2; an empty path keeps the base's path as it is).
            assertThat(to.hostPort()).isEqualTo(from.hostPort());
            String path = to.pathAndQuery().replaceFirst("(?s)\\?.*", "");
            if (!refPath.isEmpty()) {
              assertThat(path.split("/", -1)).doesNotContain(".", "..");
            }
          }
        });
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

  private static Gen<String> validUrls() {
    Gen<String> segments =
        strings(range('a', 'z') + "0123456789-._~%;=", 0, 8)
            .list(0, 5)
            .map(list -> "/" + String.join("/", list));
    Gen<String> query = strings(range('a', 'z') + "=&%/?", 0, 12);
    Gen<String> schemes = of("http", "https", "HTTP", "hTtPs");
    Gen<String> authorities =
        of(
            "example.com",
            "Mirror.Example:8080",
            "127.0.0.1",
            "[::1]",
            "[2001:db8::7]:443",
            "a.b.c.",
            "x_y-z:65535");
    Gen<String> fragments = of("", "#frag", "#a#b");
    return random -> {
      String q = query.apply(random);
      return schemes.apply(random)
          + "://"
          + authorities.apply(random)
          + segments.apply(random)
          + (q.isEmpty() ? "" : "?" + q)
          + fragments.apply(random);
    };
  }
}
