package io.bamqp.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bamqp.testbed.Await;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium ({@code --headless=new}: the old headless mode loads no extension) with one
 * unpacked extension, a fresh profile that saves downloads to {@link #downloads()} without asking,
 * and the DevTools protocol on an ephemeral port. {@link #close} kills it with its children; a JVM
 * shutdown hook does too, should a test never get there.
 */
final class ExtensionBrowser implements AutoCloseable {
  private static final long EXIT_SECONDS = 10;

  private final Process process;
  private final Thread killer;
  private final Path profile;
  private final Path downloads;
  private DevTools devTools;

  private ExtensionBrowser(Process process, Path profile, Path downloads) {
    this.process = process;
    this.profile = profile;
    this.downloads = downloads;
    this.killer = new Thread(this::kill, "kill-chromium-" + process.pid());
    Runtime.getRuntime().addShutdownHook(killer);
  }

  /**
   * Starts Chromium with the unpacked extension in {@code extension}; profile, downloads and logs
   * go under {@code scratch}.
   *
   * @param extraFlags more command-line flags, e.g. {@code --ignore-certificate-errors}
   */
  static ExtensionBrowser start(Path extension, Path scratch, String... extraFlags)
      throws Exception {
    Path profile = Files.createDirectories(scratch.resolve("chromium-profile"));
    Path downloads = Files.createDirectories(scratch.resolve("downloads"));
    writePreferences(profile, downloads);
    String unpacked = extension.toAbsolutePath().normalize().toString();
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Chromium.BINARY.toString(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--load-extension=" + unpacked,
                "--disable-extensions-except=" + unpacked,
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0"));
    command.addAll(List.of(extraFlags));
    command.add("about:blank");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(scratch.resolve("chromium.out").toFile())
            .redirectError(scratch.resolve("chromium.err").toFile())
            .start();
    ExtensionBrowser browser = new ExtensionBrowser(process, profile, downloads);
    try {
      browser.devTools = DevTools.connect(browser.endpoint());
    } catch (Exception | AssertionError e) {
      browser.close();
      throw e;
    }
    return browser;
  }

  /**
   * The profile's download settings, written before the first start as Chromium keeps them: save
   * into {@code downloads}, never ask, and let a page start more than one download.
   */
  private static void writePreferences(Path profile, Path downloads) throws Exception {
    Map<String, Object> preferences =
        Map.of(
            "download",
            Map.of(
                "default_directory", downloads.toAbsolutePath().toString(),
                "prompt_for_download", false,
                "directory_upgrade", true),
            "profile",
            Map.of("default_content_setting_values", Map.of("automatic_downloads", 1)),
            "safebrowsing",
            Map.of("enabled", false));
    Path file = Files.createDirectories(profile.resolve("Default")).resolve("Preferences");
    Files.writeString(file, new ObjectMapper().writeValueAsString(preferences));
  }

  /** The browser's DevTools endpoint, from the {@code DevToolsActivePort} file Chromium writes. */
  private URI endpoint() throws Exception {
    Path active = profile.resolve("DevToolsActivePort");
    List<String> lines =
        await("Chromium writes " + active)
            .atMost(Await.DEFAULT_DEADLINE)
            .until(
                () -> {
                  if (!process.isAlive()) {
                    throw new AssertionError(
                        "chromium exited with "
                            + process.exitValue()
                            + ": "
                            + Files.readString(profile.resolveSibling("chromium.err")));
                  }
                  List<String> written =
                      Files.isRegularFile(active) ? Files.readAllLines(active) : List.of();
                  return written.size() >= 2 ? written : null;
                },
                Objects::nonNull);
    return URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
  }

  Path downloads() {
    return downloads;
  }

  DevTools devTools() {
    return devTools;
  }

  /** The ID Chromium gave the unpacked extension, from its background service worker's URL. */
  String extensionId() throws Exception {
    return await("the extension's service worker is running")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(
            () -> {
              for (JsonNode target :
                  devTools.call("Target.getTargets", Map.of()).get("targetInfos")) {
                String url = target.path("url").asText();
                if (target.path("type").asText().equals("service_worker")
                    && url.startsWith("chrome-extension://")) {
                  return URI.create(url).getHost();
                }
              }
              return null;
            },
            Objects::nonNull);
  }

  /** Opens {@code url} in a new tab and returns the DevTools session attached to it. */
  String open(String url) throws Exception {
    String target =
        devTools.call("Target.createTarget", Map.of("url", url)).get("targetId").asText();
    return devTools
        .call("Target.attachToTarget", Map.of("targetId", target, "flatten", true))
        .get("sessionId")
        .asText();
  }

  /** Waits until the page of {@code session} has loaded and {@code condition} (JS) holds. */
  void awaitPage(String session, String condition) throws Exception {
    await(condition)
        .atMost(Await.DEFAULT_DEADLINE)
        .until(
            () -> {
              try {
                return devTools
                    .evaluate(session, "document.readyState === 'complete' && (" + condition + ")")
                    .asBoolean();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
  }

  @Override
  public void close() {
    if (devTools != null) {
      devTools.close();
    }
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  private void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
