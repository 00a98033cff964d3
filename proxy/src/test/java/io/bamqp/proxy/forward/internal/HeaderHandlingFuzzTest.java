package io.bamqp.proxy.forward.internal;

import static io.bamqp.proxy.forward.internal.RequestTargetFuzzTest.mutated;
import static io.bamqp.security.Fuzz.anyStrings;
import static io.bamqp.security.Fuzz.booleans;
import static io.bamqp.security.Fuzz.of;
import static io.bamqp.security.Fuzz.oneOf;
import static io.bamqp.security.Fuzz.range;
import static io.bamqp.security.Fuzz.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.Fuzz;
import io.bamqp.security.Fuzz.Gen;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests of the headers the proxy forwards and writes: hop-by-hop headers never pass,
 * end-to-end ones pass unchanged and in order; {@code Via} detects this node's own entry whatever
 * came before it; the {@code Content-Disposition} written for {@code /fetch} is plain ASCII that
 * names a safe file whatever the URL says.
 */
class HeaderHandlingFuzzTest {
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  private static final Pattern ATTACHMENT =
      Pattern.compile("attachment; filename=\"([^\"\\\\]*)\"(; filename\\*=UTF-8''([^ ;\"]+))?");

  @Test
  void exactlyTheEndToEndHeadersPassInOrderWithTheirValues() {
    Fuzz.check(
        "exactlyTheEndToEndHeadersPassInOrderWithTheirValues",
        2000,
        List.of(
            List.of(),
            List.of(Map.entry("Connection", "")),
            List.of(Map.entry("Connection", ",,, ,"), Map.entry("Accept", "")),
            List.of(Map.entry("Connection", "Accept"), Map.entry("Accept", "a")),
            List.of(Map.entry("Host", "h"), Map.entry("host", "h"))),
        headerLists(),
        HeaderHandlingFuzzTest::onlyEndToEndHeadersPass);
  }

  private static void onlyEndToEndHeadersPass(List<Map.Entry<String, String>> headers) {
    MultiMap from = MultiMap.caseInsensitiveMultiMap();
    headers.forEach(header -> from.add(header.getKey(), header.getValue()));
    MultiMap to = MultiMap.caseInsensitiveMultiMap();

    HopByHop.copyEndToEnd(from, to, Set.of("host"));

    List<String> listed = new ArrayList<>();
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().equalsIgnoreCase("connection")) {
        for (String token : header.getValue().split(",")) {
          listed.add(token.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    List<String> expected = new ArrayList<>();
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(name) && !listed.contains(name) && !name.equals("host")) {
        expected.add(name + "=" + header.getValue());
      }
    }
    List<String> copied = new ArrayList<>();
    to.forEach(
        header -> copied.add(header.getKey().toLowerCase(Locale.ROOT) + "=" + header.getValue()));
    assertThat(copied).isEqualTo(expected);
  }

  record Forwarded(List<String> earlier, boolean http10) {}

  @Test
  void thisNodesViaEntryIsFoundWhateverCameBeforeItAndNeverInvented() {
    Gen<List<String>> viaValues =
        oneOf(
                of(
                    "1.1 upstream-cache",
                    "1.0 bamqp-00000000",
                    "HTTP/1.1 proxy.example:3128 (comment, with comma)",
                    ",",
                    "",
                    "1.1",
                    "   ",
                    "1.1\tbamqp"),
                strings("1. abqmp-0f,\t()", 0, 30))
            .list(0, 4);
    Gen<Boolean> http10 = booleans();
    Fuzz.check(
        "thisNodesViaEntryIsFoundWhateverCameBeforeItAndNeverInvented",
        1000,
        List.of(
            new Forwarded(List.of(), false),
            new Forwarded(List.of(), true),
            new Forwarded(List.of(""), false),
            new Forwarded(List.of(",", "   "), true)),
        random -> new Forwarded(viaValues.apply(random), http10.apply(random)),
        input -> {
          List<String> earlier = input.earlier();
          ViaHeader via = ViaHeader.random();
          MultiMap incoming = MultiMap.caseInsensitiveMultiMap();
          earlier.forEach(value -> incoming.add("Via", value));
          MultiMap outgoing = MultiMap.caseInsensitiveMultiMap();

          boolean loopsBefore = via.loopsThrough(incoming);
          via.append(
              incoming, outgoing, input.http10() ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1);

          assertThat(loopsBefore).isFalse();
          assertThat(via.loopsThrough(outgoing)).isTrue();
          assertThat(outgoing.getAll("via")).hasSize(1);
          assertThat(outgoing.get("via")).startsWith(String.join(", ", earlier));
        });
  }

  private static final List<String> VALID_PATHS =
      List.of(
          "/pub/debian-12.iso?X-Amz-Signature=ab",
          "/a/file%20name%2B1.tar.gz",
          "/%C3%A9t%C3%A9%20%E2%82%AC.pdf",
          "/%F0%9F%93%A6.zip",
          "/x/..%2F..%2Fetc%2Fpasswd",
          "/x/a%22b%0d%0aSet-Cookie:%20c.iso",
          "/",
          "/...",
          "/%2e%2e",
          "/" + "n".repeat(300) + ".iso",
          "/%E2%80%AE%E2%80%8Bgnp.exe",
          "/%ff%fe%C0%80",
          "/%\u0663\u0663");

  @Test
  void aFetchedFileIsNamedInPlainAsciiWithASafeName() {
    Gen<String> valid = of(VALID_PATHS);
    Gen<String> paths =
        oneOf(
            valid,
            mutated(valid),
            mutated(mutated(valid)),
            anyStrings(40).map(s -> "/" + s),
            strings("%0123456789abcdefABCDEF/.?", 0, 40));
    Fuzz.check(
        "aFetchedFileIsNamedInPlainAsciiWithASafeName",
        3000,
        VALID_PATHS,
        paths,
        HeaderHandlingFuzzTest::namedInPlainAscii);
  }

  private static void namedInPlainAscii(String pathAndQuery) {
    String name = FetchHeaders.fileName(pathAndQuery);
    String header = FetchHeaders.attachment(pathAndQuery);

    assertThat(name).isNotEmpty();
    assertThat(name.codePointCount(0, name.length()))
        .isLessThanOrEqualTo(FetchHeaders.MAX_NAME_LENGTH);
    assertThat(name.codePoints())
        .noneMatch(c -> Character.isISOControl(c) || "\"\\/:*?<>|%".indexOf(c) >= 0);
    assertThat(name).doesNotStartWith(".").doesNotStartWith(" ");
    assertThat(name).doesNotEndWith(".").doesNotEndWith(" ");
    assertThat(header.chars()).allMatch(c -> c >= 0x20 && c < 0x7f, "printable ASCII");
    Matcher m = ATTACHMENT.matcher(header);
    assertThat(m.matches()).as(header).isTrue();
    String written = m.group(3) == null ? m.group(1) : percentDecoded(m.group(3));
    assertThat(written).isEqualTo(name);
  }

  private static String percentDecoded(String encoded) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%') {
        bytes.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static Gen<List<Map.Entry<String, String>>> headerLists() {
    Gen<String> names =
        oneOf(
            of(
                "Connection",
                "connection",
                "Keep-Alive",
                "TE",
                "Trailer",
                "Transfer-Encoding",
                "Upgrade",
                "Proxy-Authorization",
                "Proxy-Connection",
                "Host",
                "Accept",
                "X-Private",
                "x-private",
                "Cookie"),
            strings(range('a', 'e'), 1, 3));
    Gen<String> values =
        oneOf(
            of("keep-alive, X-Private", "close", ",,, ,", "Accept", "upgrade,te", "a, b ,c", ""),
            strings("abcde ,-_", 0, 12));
    Gen<Map.Entry<String, String>> headers =
        random -> Map.entry(names.apply(random), values.apply(random));
    return headers.list(0, 10);
  }
}
