package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.testbed.Await;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy's PAC file, as served and as a browser's JavaScript engine evaluates it. */
class PacIT {
  private static final String PAC_TYPE = "application/x-ns-proxy-autoconfig";

  /**
   * Minimal versions of the two PAC helpers the file uses, as browsers define them
   * (https://developer.mozilla.org/docs/Web/HTTP/Proxy_servers_and_tunneling/Proxy_Auto-Configuration_PAC_file).
   */
  private static final String HELPERS =
      """
      function isPlainHostName(host) { return host.indexOf(".") < 0; }
      function dnsDomainIs(host, domain) {
        return host.length >= domain.length && host.substring(host.length - domain.length) == domain;
      }
      """;

  private final Vertx vertx = Vertx.vertx();
  private ProxyNode proxy;
  @TempDir Path scratch;

  @BeforeEach
  void start() throws Exception {
    proxy = ProxyNode.start(vertx, "");
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    Await.result(vertx.close());
  }

  private RawHttp.Reply get(String method, String target, String host) throws Exception {
    return RawHttp.exchange(
        proxy.port(), method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
  }

  @Test
  void bothPathsServeTheFileNamingTheProxyByTheHostTheBrowserUsed() throws Exception {
    for (String path : new String[] {"/proxy.pac", "/wpad.dat"}) {
      RawHttp.Reply reply = get("GET", path, "127.0.0.1:" + proxy.port());

      assertThat(reply.status()).as(path).isEqualTo(200);
      assertThat(reply.text())
          .containsIgnoringCase("content-type: " + PAC_TYPE)
          .containsIgnoringCase("cache-control: no-store");
      assertThat(reply.body())
          .contains("function FindProxyForURL(url, host)")
          .contains("\"PROXY 127.0.0.1:" + proxy.port() + "\"");
    }
    assertThat(get("GET", "/proxy.pac", "localhost").body())
        .as("the host as the browser wrote it, with the proxy's port")
        .contains("\"PROXY localhost:" + proxy.port() + "\"");
  }

  @Test
  void theFileIsAlsoServedToAnAbsoluteFormRequestAndHeadGetsItsHeadOnly() throws Exception {
    String self = "127.0.0.1:" + proxy.port();
    RawHttp.Reply absolute = get("GET", "http://" + self + "/proxy.pac", self);
    RawHttp.Reply head = get("HEAD", "/wpad.dat", self);

    assertThat(absolute.status()).isEqualTo(200);
    assertThat(absolute.body()).contains("PROXY " + self);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.text()).containsIgnoringCase("content-type: " + PAC_TYPE);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void otherPathsOfTheProxyItselfAreStillALoop() throws Exception {
    assertThat(get("GET", "/other.pac", "127.0.0.1:" + proxy.port()).status()).isEqualTo(508);
  }

  @Test
  void chromiumEvaluatesItAsProxyForHttpAndDirectForEverythingElse() throws Exception {
    Chromium.assumeInstalled();
    String self = "127.0.0.1:" + proxy.port();
    RawHttp.Reply served = get("GET", "/proxy.pac", self);
    assertThat(served.status()).isEqualTo(200);
    String pac = served.body();
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("http://example.com/big.iso", "PROXY " + self);
    expected.put("http://93.184.216.34/big.iso", "PROXY " + self);
    expected.put("http://[2001:db8::1]/big.iso", "PROXY " + self);
    expected.put("https://example.com/", "DIRECT");
    expected.put("ws://example.com/chat", "DIRECT");
    expected.put("ftp://example.com/pub/", "DIRECT");
    expected.put("http://nas.lan/film.mkv", "DIRECT");
    expected.put("http://printer.local/", "DIRECT");
    expected.put("http://router.home.arpa/", "DIRECT");
    expected.put("http://printer/", "DIRECT");
    expected.put("http://192.168.1.20:8080/", "DIRECT");
    expected.put("http://10.1.2.3/", "DIRECT");
    expected.put("http://172.20.0.1/", "DIRECT");
    expected.put("http://[fd00::5]/", "DIRECT");

    Path page = scratch.resolve("pac.html");
    Files.writeString(page, page(pac, expected));
    String dom = new Chromium(scratch).dumpDom(page.toUri().toString());

    assertThat(dom).contains("<p id=\"errors\"></p>");
    assertThat(verdicts(dom)).isEqualTo(expected);
  }

  /** A page that evaluates the PAC file for each URL and writes each verdict into the DOM. */
  private static String page(String pac, Map<String, String> urls) {
    StringBuilder cases = new StringBuilder();
    urls.keySet().forEach(url -> cases.append("  \"").append(url).append("\",\n"));
    return """
        <!doctype html>
        <html><body><ul id="verdicts"></ul><p id="errors"></p>
        <script>
        window.addEventListener("error", e => document.getElementById("errors").append(e.message));
        </script>
        <script>
        %s
        %s
        const urls = [
        %s];
        for (const url of urls) {
          const host = new URL(url).hostname.replace(/^\\[|\\]$/g, "");
          const item = document.createElement("li");
          item.dataset.url = url;
          item.textContent = FindProxyForURL(url, host);
          document.getElementById("verdicts").append(item);
        }
        </script></body></html>
        """
        .formatted(HELPERS, pac, cases);
  }

  private static Map<String, String> verdicts(String dom) {
    Map<String, String> verdicts = new LinkedHashMap<>();
    Matcher item = Pattern.compile("<li data-url=\"([^\"]+)\">([^<]*)</li>").matcher(dom);
    while (item.find()) {
      verdicts.put(item.group(1).replace("&amp;", "&"), item.group(2));
    }
    return verdicts;
  }
}
