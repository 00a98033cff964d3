package io.bamqp.proxy.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.proxy.aggregation.BufferBudget;
import io.bamqp.proxy.aggregation.DownloadBoard;
import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.proxy.node.ConfigMapping;
import io.bamqp.testbed.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsServerTest {
  private static final String TOKEN = "0123456789abcdef-token";

  private static final SharingView NO_SHARING =
      new SharingView(false, 10, 100, "00:00-00:00", null, null, 2, null, null, null);

  /** Actions a node has not wired: the page answers 501 with the failure's message. */
  private static final StatsActions NOTHING_IMPLEMENTED =
      new StatsActions() {
        @Override
        public Future<Void> setSharing(boolean enabled) {
          return Future.failedFuture(
              new UnsupportedOperationException("turning sharing on or off is not available yet"));
        }

        @Override
        public Future<Void> trust(String peerId) {
          return Future.failedFuture(
              new UnsupportedOperationException("trusting a peer is not available yet"));
        }
      };

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  @TempDir Path state;
  private StatsServer server;

  private final StatsActions recording =
      new StatsActions() {
        @Override
        public Future<Void> setSharing(boolean enabled) {
          calls.add("sharing " + enabled);
          return Future.succeededFuture();
        }

        @Override
        public Future<Void> trust(String peerId) {
          calls.add("trust " + peerId);
          return Future.succeededFuture();
        }
      };

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      Await.result(server.close());
    }
    Await.result(vertx.close());
  }

  private void start(String token, StatsActions actions) throws Exception {
    BamqpConfig config =
        ConfigLoader.parse(
            "stats:\n  listen: 127.0.0.1:0\n"
                + (token == null ? "" : "  token: " + token + "\n")
                + "state:\n  dir: '"
                + state
                + "'\n");
    server =
        Await.result(
            StatsServer.start(
                vertx,
                ConfigMapping.stats(config),
                new DownloadBoard(new BufferBudget(32 << 20, 4 << 20)),
                new StatsSources(List::of, () -> NO_SHARING, actions)));
  }

  private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("content-type", "application/json");
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theRightTokenCarriesTheChangeToTheActions() throws Exception {
    start(TOKEN, recording);

    HttpResponse<String> sharing =
        post("/api/sharing", "{\"enabled\": true}", "authorization", "Bearer " + TOKEN);
    HttpResponse<String> trust =
        post("/api/peers/ABC-DEF/trust", "", "authorization", "Bearer " + TOKEN);

    assertThat(sharing.statusCode()).isEqualTo(200);
    assertThat(trust.statusCode()).isEqualTo(200);
    assertThat(calls).containsExactly("sharing true", "trust ABC-DEF");
  }

  @Test
  void aWrongTokenOrAForeignOriginChangesNothing() throws Exception {
    start(TOKEN, recording);

    HttpResponse<String> wrong =
        post("/api/sharing", "{\"enabled\": true}", "authorization", "Bearer wrong-token-value");
    HttpResponse<String> none = post("/api/sharing", "{\"enabled\": true}");
    HttpResponse<String> foreign =
        post(
            "/api/sharing",
            "{\"enabled\": true}",
            "authorization",
            "Bearer " + TOKEN,
            "origin",
            "https://evil.example");

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"bamqp\"");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.body()).contains("cross-origin");
    assertThat(foreign.headers().firstValue("access-control-allow-origin")).isEmpty();
    assertThat(calls).isEmpty();
  }

  @Test
  void withoutATokenChangesAreForbiddenAndSaySo() throws Exception {
    start(null, recording);

    HttpResponse<String> refused =
        post("/api/sharing", "{\"enabled\": false}", "authorization", "Bearer " + TOKEN);

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("set stats.token");
    assertThat(calls).isEmpty();
  }

  @Test
  void actionsNobodyImplementedYetAnswer501() throws Exception {
    start(TOKEN, NOTHING_IMPLEMENTED);

    HttpResponse<String> answer =
        post("/api/peers/ABC/trust", "", "authorization", "Bearer " + TOKEN);

    assertThat(answer.statusCode()).isEqualTo(501);
    assertThat(answer.body()).isEqualTo("{\"error\":\"trusting a peer is not available yet\"}");
  }

  @Test
  void aMalformedChangeIsA400WithTheExpectedShape() throws Exception {
    start(TOKEN, recording);

    HttpResponse<String> answer =
        post("/api/sharing", "{\"enabled\": \"yes\"}", "authorization", "Bearer " + TOKEN);

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("{\\\"enabled\\\": true}");
    assertThat(calls).isEmpty();
  }

  @Test
  void aPageAskedForByAPublicNameIsRefusedAgainstDnsRebinding() throws Exception {
    start(TOKEN, recording);

    String rebound = rawGet("/api/stats", "evil.example:" + server.port());
    String byAddress = rawGet("/api/stats", "127.0.0.1:" + server.port());

    assertThat(rebound).startsWith("HTTP/1.1 403").contains("DNS rebinding");
    assertThat(byAddress).startsWith("HTTP/1.1 200");
  }

  /** A GET with a Host header of our choosing (java.net.http will not send one). */
  private String rawGet(String path, String host) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new String(
          socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
