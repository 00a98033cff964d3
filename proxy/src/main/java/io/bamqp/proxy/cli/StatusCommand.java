package io.bamqp.proxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.proxy.config.Endpoint;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code bamqp status}: what the running node is doing, read from its statistics API on {@code
 * stats.listen} (the node of the same config file): its downloads, neighbors and sharing. Sends
 * {@code stats.token} when the config has one.
 */
final class StatusCommand {
  /** How long {@code status} waits for each answer of the node. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** Finished downloads listed, newest first. */
  static final int HISTORY_LINES = 5;

  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusCommand() {}

  static int run(List<String> options, PrintStream out, PrintStream err) {
    Path file = Path.of(IdentityCommands.optionalConfig(options, IdentityCommands.DEFAULT_CONFIG));
    BamqpConfig config = ConfigLoader.load(file);
    if (!config.stats().enabled()) {
      err.println(
          "bamqp: config error: stats.enabled: is false in "
              + file
              + "; status reads the node's statistics API");
      return Main.CONFIG_ERROR;
    }
    Endpoint api = reachable(config.stats().listen());
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    try {
      JsonNode stats = get(client, api, "/api/stats", config);
      JsonNode downloads = get(client, api, "/api/downloads", config);
      JsonNode peers = get(client, api, "/api/peers", config);
      JsonNode sharing = get(client, api, "/api/sharing", config);
      print(out, api, stats, downloads, peers, sharing);
      return Main.OK;
    } catch (ConnectException | HttpTimeoutException e) {
      err.println(
          "bamqp: no node answers on stats.listen "
              + api
              + " ("
              + (e instanceof ConnectException
                  ? "connection refused"
                  : "no answer in " + TIMEOUT.toSeconds() + " s")
              + "); is it running? (systemctl status bamqp)");
      return Main.FAILED;
    } catch (IOException e) {
      err.println("bamqp: stats.listen " + api + ": " + e.getMessage());
      return Main.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Main.FAILED;
    }
  }

  /** The address to ask: a wildcard listener is reached on loopback. */
  static Endpoint reachable(Endpoint listen) {
    return switch (listen.host()) {
      case "0.0.0.0" -> new Endpoint("127.0.0.1", listen.port());
      case "::", "0:0:0:0:0:0:0:0" -> new Endpoint("::1", listen.port());
      default -> listen;
    };
  }

  private static JsonNode get(HttpClient client, Endpoint api, String path, BamqpConfig config)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + api + path)).timeout(TIMEOUT).GET();
    if (config.stats().token() != null) {
      request.header("Authorization", "Bearer " + config.stats().token());
    }
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  private static void print(
      PrintStream out,
      Endpoint api,
      JsonNode stats,
      JsonNode downloads,
      JsonNode peers,
      JsonNode sharing) {
    out.printf(
        Locale.ROOT,
        "node up %s; statistics on http://%s/%n",
        uptime(stats.path("uptimeSeconds").asLong()),
        api);
    JsonNode live = downloads.path("live");
    out.printf(Locale.ROOT, "downloads: %d running%n", live.size());
    for (JsonNode download : live) {
      long size = download.path("size").asLong();
      out.printf(
          Locale.ROOT,
          "  %s  %.0f%% of %s, %.1f Mbit/s, %d source(s)%n",
          download.path("url").asText(),
          size > 0 ? 100.0 * download.path("written").asLong() / size : 0,
          mib(size),
          download.path("bytesPerSecond").asLong() * 8 / 1e6,
          download.path("sources").size());
    }
    JsonNode history = downloads.path("history");
    if (!history.isEmpty()) {
      out.printf(Locale.ROOT, "last downloads (of %d kept):%n", history.size());
      for (int i = 0; i < Math.min(HISTORY_LINES, history.size()); i++) {
        JsonNode done = history.get(i);
        out.printf(
            Locale.ROOT,
            "  %-14s %s  %s in %.1f s, %.1fx the home line%s%n",
            done.path("outcome").asText(),
            done.path("url").asText(),
            mib(done.path("written").asLong()),
            done.path("elapsedMillis").asLong() / 1000.0,
            done.path("speedUp").asDouble(),
            done.path("reason").isTextual() ? "; " + done.path("reason").asText() : "");
      }
    }
    JsonNode table = peers.path("peers");
    out.printf(Locale.ROOT, "neighbors: %d%n", table.size());
    for (JsonNode peer : table) {
      out.printf(
          Locale.ROOT,
          "  %s  %-11s %s%s, given %s, received %s%s%n",
          peer.path("id").asText(),
          peer.path("state").asText(),
          peer.path("address").asText(),
          peer.path("trusted").asBoolean() ? "" : " (not trusted)",
          bytes(peer.path("bytesGiven").asLong()),
          bytes(peer.path("bytesReceived").asLong()),
          peer.path("note").isTextual() ? "; " + peer.path("note").asText() : "");
    }
    out.printf(
        Locale.ROOT,
        "sharing: %s, up to %.1f Mbit/s; given today %s, this month %s%s%n",
        sharing.path("enabled").asBoolean() ? "on" : "off",
        sharing.path("maxRateMbps").asDouble(),
        bytes(sharing.path("usedTodayBytes").asLong(-1)),
        bytes(sharing.path("usedThisMonthBytes").asLong(-1)),
        sharing.path("note").isTextual() ? "; " + sharing.path("note").asText() : "");
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  private static String bytes(long bytes) {
    if (bytes < 0) {
      return "-";
    }
    return bytes >= 1L << 30
        ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
        : mib(bytes);
  }

  private static String uptime(long seconds) {
    return seconds < 3600
        ? (seconds / 60) + "min " + (seconds % 60) + "s"
        : (seconds / 3600) + "h " + (seconds % 3600 / 60) + "min";
  }
}
