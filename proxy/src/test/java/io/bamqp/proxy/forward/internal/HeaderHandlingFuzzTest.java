package io.bamqp.proxy.forward.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.HangDetector;
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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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

  @Property(tries = 2000)
  void exactlyTheEndToEndHeadersPassInOrderWithTheirValues(
      @ForAll("headerLists") List<Map.Entry<String, String>> headers) throws Exception {
    MultiMap from = MultiMap.caseInsensitiveMultiMap();
    headers.forEach(header -> from.add(header.getKey(), header.getValue()));
    MultiMap to = MultiMap.caseInsensitiveMultiMap();

    HangDetector.run(() -> HopByHop.copyEndToEnd(from, to, Set.of("host")));

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

  @Property(tries = 1000)
  void thisNodesViaEntryIsFoundWhateverCameBeforeItAndNeverInvented(
      @ForAll("viaValues") List<String> earlier, @ForAll boolean http10) throws Exception {
    ViaHeader via = ViaHeader.random();
    MultiMap incoming = MultiMap.caseInsensitiveMultiMap();
    earlier.forEach(value -> incoming.add("Via", value));
    MultiMap outgoing = MultiMap.caseInsensitiveMultiMap();

    boolean loopsBefore = HangDetector.call(() -> via.loopsThrough(incoming));
    via.append(incoming, outgoing, http10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1);

    assertThat(loopsBefore).isFalse();
    assertThat(via.loopsThrough(outgoing)).isTrue();
    assertThat(outgoing.getAll("via")).hasSize(1);
    assertThat(outgoing.get("via")).startsWith(String.join(", ", earlier));
  }

  @Property(tries = 3000)
  void aFetchedFileIsNamedInPlainAsciiWithASafeName(@ForAll("paths") String pathAndQuery)
      throws Exception {
    String name = HangDetector.call(() -> FetchHeaders.fileName(pathAndQuery));
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

  @Provide
  Arbitrary<List<Map.Entry<String, String>>> headerLists() {
    Arbitrary<String> names =
        Arbitraries.oneOf(
            Arbitraries.of(
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
            Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(3));
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.of(
                "keep-alive, X-Private", "close", ",,, ,", "Accept", "upgrade,te", "a, b ,c", ""),
            Arbitraries.strings().withChars("abcde ,-_").ofMaxLength(12));
    return Combinators.combine(names, values).as(Map::entry).list().ofMaxSize(10);
  }

  @Provide
  Arbitrary<List<String>> viaValues() {
    return Arbitraries.oneOf(
            Arbitraries.of(
                "1.1 upstream-cache",
                "1.0 bamqp-00000000",
                "HTTP/1.1 proxy.example:3128 (comment, with comma)",
                ",",
                "",
                "1.1",
                "   ",
                "1.1\tbamqp"),
            Arbitraries.strings().withChars("1. abqmp-0f,\t()").ofMaxLength(30))
        .list()
        .ofMaxSize(4);
  }

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<String> valid =
        Arbitraries.of(
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
            "/%٣٣");
    return Arbitraries.oneOf(
        valid,
        RequestTargetFuzzTest.mutated(valid),
        RequestTargetFuzzTest.mutated(RequestTargetFuzzTest.mutated(valid)),
        Arbitraries.strings().all().ofMaxLength(40).map(s -> "/" + s),
        Arbitraries.strings().withChars("%0123456789abcdefABCDEF/.?").ofMaxLength(40));
  }
}
