package io.bamqp.proxy.aggregation;

import static io.bamqp.security.Fuzz.anyStrings;
import static io.bamqp.security.Fuzz.booleans;
import static io.bamqp.security.Fuzz.ints;
import static io.bamqp.security.Fuzz.of;
import static io.bamqp.security.Fuzz.oneOf;
import static io.bamqp.security.Fuzz.range;
import static io.bamqp.security.Fuzz.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.peer.RangeFetch;
import io.bamqp.security.Fuzz;
import io.bamqp.security.Fuzz.Gen;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests of what the aggregator reads from a client's request and an origin's
 * response head: {@link Credentials} finds every signed-URL parameter however it is cased or
 * encoded and never fails; {@link Eligibility} answers a verdict for any response head (never an
 * exception), and an eligible verdict describes a range that fits the representation and the
 * response's length.
 */
class AggregationInputFuzzTest {

  private static final Gen<String> PLAIN_PATHS =
      strings(range('a', 'z'), 0, 8).list(1, 4).map(segments -> "/" + String.join("/", segments));

  record Parameter(String path, String name, int spelling, boolean asPathParameter) {}

  @Test
  void aSignedUrlParameterIsFoundHoweverItIsCasedOrEncoded() {
    // Sorted: a Set.of iterates in another order in every JVM, and the seed must reproduce.
    Set<String> signed = new TreeSet<>(Credentials.SIGNED_URL_PARAMETERS);
    Set<String> session = new TreeSet<>(Credentials.SESSION_PATH_PARAMETERS);
    Gen<String> names = oneOf(of(signed), of(session));
    Gen<Integer> spellings = ints(0, 3);
    Gen<Boolean> asPathParameter = booleans();
    List<Parameter> edgeCases = new ArrayList<>();
    for (String name : signed) {
      edgeCases.add(new Parameter("/", name, 0, false));
    }
    for (String name : session) {
      edgeCases.add(new Parameter("/", name, 1, true));
    }
    Fuzz.check(
        "aSignedUrlParameterIsFoundHoweverItIsCasedOrEncoded",
        2000,
        edgeCases,
        random ->
            new Parameter(
                PLAIN_PATHS.apply(random),
                names.apply(random),
                spellings.apply(random),
                asPathParameter.apply(random)),
        input -> {
          String name = input.name();
          String path = input.path();
          String written = spell(name, input.spelling());
          String url =
              input.asPathParameter()
                  ? path + ";" + written + "=abc?x=1"
                  : path + "?x=1&" + written + "=abc&y=2";
          if (input.asPathParameter()
              && !Credentials.SESSION_PATH_PARAMETERS.contains(name)
              && !Credentials.SIGNED_URL_PARAMETERS.contains(name)) {
            return;
          }
          if (input.asPathParameter() && written.contains("%")) {
            return; // path parameters are matched as written, not percent-decoded
          }
          String found = Credentials.carried(MultiMap.caseInsensitiveMultiMap(), url);
          assertThat(found).as(url).isNotNull();
        });
  }

  record Request(String pathAndQuery, boolean cookie) {}

  @Test
  void anyRequestIsJudgedForCredentialsWithoutFailing() {
    Gen<String> paths = oneOf(PLAIN_PATHS, strings("/;?&=%abcx0-9", 0, 40), anyStrings(30));
    Gen<Boolean> cookies = booleans();
    Fuzz.check(
        "anyRequestIsJudgedForCredentialsWithoutFailing",
        2000,
        List.of(
            new Request("", false),
            new Request("", true),
            new Request("?", false),
            new Request(";", false),
            new Request("/%", false),
            new Request("/?=&=", false)),
        random -> new Request(paths.apply(random), cookies.apply(random)),
        input -> {
          String pathAndQuery = input.pathAndQuery();
          MultiMap headers = MultiMap.caseInsensitiveMultiMap();
          if (input.cookie()) {
            headers.add("Cookie", "a=b");
          }
          String found = Credentials.carried(headers, pathAndQuery);
          if (input.cookie()) {
            assertThat(found).isNotNull();
          }
          if (!input.cookie() && pathAndQuery.indexOf('?') < 0 && pathAndQuery.indexOf(';') < 0) {
            assertThat(found).isNull();
          }
        });
  }

  record ResponseHead(int status, List<Map.Entry<String, String>> head, long minBytes) {}

  @Test
  void anyResponseHeadGetsAVerdictAndAnEligibleOneFitsTheRepresentation() {
    Gen<Integer> statuses = of(200, 200, 206, 206, 206, 204, 304, 416, 500);
    Gen<List<Map.Entry<String, String>>> heads = responseHeads();
    Gen<Long> minBytes = of(0L, 1L, 1L << 20);
    Fuzz.check(
        "anyResponseHeadGetsAVerdictAndAnEligibleOneFitsTheRepresentation",
        3000,
        List.of(
            new ResponseHead(200, List.of(), 0),
            new ResponseHead(
                206,
                List.of(
                    Map.entry("Content-Length", "100"),
                    Map.entry("Content-Range", "bytes 0-99/100"),
                    Map.entry("ETag", "\"v1\"")),
                0),
            new ResponseHead(
                206,
                List.of(
                    Map.entry("Content-Length", "1"),
                    Map.entry("Content-Range", "bytes 99999999999999999999-0/1"),
                    Map.entry("ETag", "\"v1\"")),
                0),
            new ResponseHead(
                206,
                List.of(
                    Map.entry("Content-Length", "3"),
                    Map.entry("Content-Range", "bytes 5-3/10"),
                    Map.entry("ETag", "\"v1\"")),
                0)),
        random ->
            new ResponseHead(statuses.apply(random), heads.apply(random), minBytes.apply(random)),
        input -> {
          int status = input.status();
          MultiMap headers = MultiMap.caseInsensitiveMultiMap();
          input.head().forEach(header -> headers.add(header.getKey(), header.getValue()));

          Eligibility.Verdict verdict =
              Eligibility.judge(
                  HttpMethod.GET,
                  MultiMap.caseInsensitiveMultiMap(),
                  status,
                  headers,
                  input.minBytes());

          if (!verdict.eligible()) {
            assertThat(verdict.reason()).isNotBlank();
            return;
          }
          Eligibility.Download download = verdict.download();
          long length = Long.parseLong(headers.get("content-length"));
          assertThat(download.range().first()).isGreaterThanOrEqualTo(0);
          assertThat(download.range().last()).isLessThan(download.totalBytes());
          assertThat(download.range().length())
              .isEqualTo(length)
              .isGreaterThanOrEqualTo(input.minBytes());
          assertThat(download.partial()).isEqualTo(status == 206);
          if (download.etag() != null) {
            assertThat(RangeFetch.isStrongEtag(download.etag())).isTrue();
          } else {
            assertThat(download.lastModified()).isNotNull();
          }
        });
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

  private static Gen<List<Map.Entry<String, String>>> responseHeads() {
    Gen<String> numbers =
        of(
            "0",
            "1",
            "100",
            "1048576",
            "999999999999999999",
            "9223372036854775807",
            "99999999999999999999",
            "-1",
            " 100 ");
    Gen<Map.Entry<String, String>> contentLength = numbers.map(n -> Map.entry("Content-Length", n));
    Gen<Map.Entry<String, String>> contentRange =
        random -> {
          String value =
              "bytes "
                  + numbers.apply(random)
                  + "-"
                  + numbers.apply(random)
                  + "/"
                  + numbers.apply(random);
          return Map.entry("Content-Range", value.replace(" 100 ", "100"));
        };
    Gen<Map.Entry<String, String>> fixed =
        of(
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
    return oneOf(contentLength, contentRange, fixed, fixed).list(0, 7);
  }
}
