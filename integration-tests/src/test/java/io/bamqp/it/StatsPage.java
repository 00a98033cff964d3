package io.bamqp.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A node's statistics page over HTTP: its JSON API and its metrics, as a LAN client sees them. */
final class StatsPage {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-z_]+)(?:\\{([a-z]+)=\"((?:[^\"\\\\]|\\\\.)*)\"\\})? (\\S+)$");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final int port;

  StatsPage(int port) {
    this.port = port;
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url(path))).timeout(TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends {@code method} to {@code path} with a JSON body (or none) and extra headers. */
  HttpResponse<String> send(String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url(path)))
            .timeout(TIMEOUT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("content-type", "application/json");
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GETs {@code path}, which must answer 200, as JSON. */
  JsonNode json(String path) throws Exception {
    HttpResponse<String> response = get(path);
    if (response.statusCode() != 200) {
      throw new AssertionError(
          path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /**
   * {@code /metrics} parsed: "name" or "name{label=value}" → value. Fails on any line that is
   * neither a comment nor a well-formed sample.
   */
  Map<String, Double> metrics() throws Exception {
    HttpResponse<String> response = get("/metrics");
    if (response.statusCode() != 200) {
      throw new AssertionError("/metrics answered " + response.statusCode());
    }
    Map<String, Double> samples = new TreeMap<>();
    for (String line : response.body().split("\n")) {
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches()) {
        throw new AssertionError("not Prometheus text: '" + line + "'");
      }
      String key =
          sample.group(2) == null
              ? sample.group(1)
              : sample.group(1) + "{" + sample.group(2) + "=" + sample.group(3) + "}";
      double value =
          sample.group(4).equals("+Inf")
              ? Double.POSITIVE_INFINITY
              : Double.parseDouble(sample.group(4));
      samples.put(key, value);
    }
    return samples;
  }

  /** The per-source bytes of one download as the API reports them. */
  static Map<String, Long> bytesBySource(JsonNode download) {
    Map<String, Long> bytes = new TreeMap<>();
    download
        .get("sources")
        .forEach(s -> bytes.put(s.get("name").asText(), s.get("bytes").asLong()));
    return bytes;
  }
}
