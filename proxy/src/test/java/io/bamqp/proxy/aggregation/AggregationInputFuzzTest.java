package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.peer.RangeFetch;
import io.bamqp.security.HangDetector;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based tests of what the aggregator reads from a client's request and an origin's
 * response head: {@link Credentials} finds every signed-URL parameter however it is cased or
 * encoded and never fails; {@link Eligibility} answers a verdict for any response head (never an
 * exception), and an eligible verdict describes a range that fits the representation and the
 * response's length.
 */
class AggregationInputFuzzTest {

  @Property(tries = 2000)
  void aSignedUrlParameterIsFoundHoweverItIsCasedOrEncoded(
      @ForAll("plainPaths") String path,
      @ForAll("credentialNames") String name,
      @ForAll("spellings") int spelling,
      @ForAll boolean asPathParameter)
      throws Exception {
    String written = spell(name, spelling);
    String url =
        asPathParameter ? path + ";" + written + "=abc?x=1" : path + "?x=1&" + written + "=abc&y=2";
    if (asPathParameter
        && !Credentials.SESSION_PATH_PARAMETERS.contains(name)
        && !Credentials.SIGNED_URL_PARAMETERS.contains(name)) {
      return;
    }
    if (asPathParameter && written.contains("%")) {
      return; // path parameters are matched as written, not percent-decoded
    }
    String found =
        HangDetector.call(() -> Credentials.carried(MultiMap.caseInsensitiveMultiMap(), url));
    assertThat(found).as(url).isNotNull();
  }

  @Property(tries = 2000)
  void anyRequestIsJudgedForCredentialsWithoutFailing(
      @ForAll("anyPaths") String pathAndQuery, @ForAll boolean cookie) throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (cookie) {
      headers.add("Cookie", "a=b");
    }
    String found = HangDetector.call(() -> Credentials.carried(headers, pathAndQuery));
    if (cookie) {
      assertThat(found).isNotNull();
    }
    if (!cookie && pathAndQuery.indexOf('?') < 0 && pathAndQuery.indexOf(';') < 0) {
      assertThat(found).isNull();
    }
  }

  @Property(tries = 3000)
  void anyResponseHeadGetsAVerdictAndAnEligibleOneFitsTheRepresentation(
      @ForAll("statuses") int status,
      @ForAll("responseHeads") List<Map.Entry<String, String>> head,
      @ForAll("minBytes") long minBytes)
      throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    head.forEach(header -> headers.add(header.getKey(), header.getValue()));

    Eligibility.Verdict verdict =
        HangDetector.call(
            () ->
                Eligibility.judge(
                    HttpMethod.GET, MultiMap.caseInsensitiveMultiMap(), status, headers, minBytes));

    if (!verdict.eligible()) {
      assertThat(verdict.reason()).isNotBlank();
      return;
    }
    Eligibility.Download download = verdict.download();
    long length = Long.parseLong(headers.get("content-length"));
    assertThat(download.range().first()).isGreaterThanOrEqualTo(0);
    assertThat(download.range().last()).isLessThan(download.totalBytes());
    assertThat(download.range().length()).isEqualTo(length).isGreaterThanOrEqualTo(minBytes);
    assertThat(download.partial()).isEqualTo(status == 206);
    if (download.etag() != null) {
      assertThat(RangeFetch.isStrongEtag(download.etag())).isTrue();
    } else {
      assertThat(download.lastModified()).isNotNull();
    }
  }

  /** {@code name} as written: 0 as is, 1 upper-case, 2 one letter percent-encoded, 3 mixed. */
  private static String spell(String name, int spelling) {
    return switch (spelling) {
      case 0 -> name;
      case 1 -> name.toUpperCase(Locale.ROOT);
      case 2 -> String.format("%%%02X", (int) name.charAt(0)) + name.substring(1);
      default -> Character.toUpperCase(name.charAt(0)) + name.substring(1);
    };
  }

  @Provide
  Arbitrary<String> credentialNames() {
    return Arbitraries.oneOf(
        Arbitraries.of(Credentials.SIGNED_URL_PARAMETERS.toArray(String[]::new)),
        Arbitraries.of(Credentials.SESSION_PATH_PARAMETERS.toArray(String[]::new)));
  }

  @Provide
  Arbitrary<Integer> spellings() {
    return Arbitraries.integers().between(0, 3);
  }

  @Provide
  Arbitrary<String> plainPaths() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .ofMaxLength(8)
        .list()
        .ofMinSize(1)
        .ofMaxSize(4)
        .map(segments -> "/" + String.join("/", segments));
  }

  @Provide
  Arbitrary<String> anyPaths() {
    return Arbitraries.oneOf(
        plainPaths(),
        Arbitraries.strings().withChars("/;?&=%abcx0-9").ofMaxLength(40),
        Arbitraries.strings().all().ofMaxLength(30));
  }

  @Provide
  Arbitrary<Integer> statuses() {
    return Arbitraries.of(200, 200, 206, 206, 206, 204, 304, 416, 500);
  }

  @Provide
  Arbitrary<Long> minBytes() {
    return Arbitraries.of(0L, 1L, 1L << 20);
  }

  @Provide
  Arbitrary<List<Map.Entry<String, String>>> responseHeads() {
    Arbitrary<String> numbers =
        Arbitraries.of(
            "0",
            "1",
            "100",
            "1048576",
            "999999999999999999",
            "9223372036854775807",
            "99999999999999999999",
            "-1",
            " 100 ");
    Arbitrary<Map.Entry<String, String>> contentLength =
        numbers.map(n -> Map.entry("Content-Length", n));
    Arbitrary<Map.Entry<String, String>> contentRange =
        Combinators.combine(numbers, numbers, numbers)
            .as((a, b, c) -> Map.entry("Content-Range", "bytes " + a + "-" + b + "/" + c))
            .map(e -> Map.entry(e.getKey(), e.getValue().replace(" 100 ", "100")));
    Arbitrary<Map.Entry<String, String>> fixed =
        Arbitraries.of(
            Map.entry("Accept-Ranges", "bytes"),
            Map.entry("Accept-Ranges", " Bytes "),
            Map.entry("Accept-Ranges", "none"),
            Map.entry("ETag", "\"v1\""),
            Map.entry("ETag", "W/\"v1\""),
            Map.entry("ETag", "\"a\"b\""),
            Map.entry("ETag", "v1"),
            Map.entry("Last-Modified", "Tue, 15 Nov 1994 08:12:31 GMT"),
            Map.entry("Last-Modified", "Fri, 31 Dec 9999 23:59:59 GMT"),
            Map.entry("Last-Modified", "yesterday"),
            Map.entry("Date", "Tue, 15 Nov 1994 08:13:31 GMT"),
            Map.entry("Date", "Mon, 01 Jan 0001 00:00:00 GMT"),
            Map.entry("Content-Encoding", "gzip"),
            Map.entry("Content-Encoding", "identity"),
            Map.entry("Content-Range", "bytes */100"),
            Map.entry("Content-Range", "bytes 5-3/10"),
            Map.entry("Content-Range", "bytes 0-99/100"));
    return Arbitraries.oneOf(contentLength, contentRange, fixed, fixed).list().ofMaxSize(7);
  }
}
