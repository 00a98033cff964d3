package io.bamqp.it.bench;

import io.bamqp.testbed.Content;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real clients run as processes: curl through the home node, curl bound to one line's address,
 * aria2c with four connections on one line. Each download is saved to {@code dir} (tmpfs), timed as
 * the wall time of the whole client process, then checked against the origin's bytes.
 */
final class BenchClients {
  private static final long TIMEOUT_SECONDS = 600;
  private static final int ARIA2C_CONNECTIONS = 4;
  private static final int HASH_BUFFER = 1 << 20;
  private static final String SAVED = "download.bin";

  /** Proxy settings from the environment would take the direct downloads elsewhere. */
  private static final List<String> PROXY_VARIABLES =
      List.of("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY");

  private final Path dir;
  private final Map<Long, String> expected = new HashMap<>();

  BenchClients(Path dir) {
    this.dir = dir;
  }

  /** One finished download: its size, wall time, and whether it is byte-for-byte the file. */
  record Download(long bytes, double seconds, boolean intact) {
    double bytesPerSecond() {
      return bytes / seconds;
    }
  }

  /** curl through the proxy on {@code proxyPort}. */
  Download viaProxy(int proxyPort, String url, long size) throws Exception {
    return run(curl("--proxy", "http://127.0.0.1:" + proxyPort, url), size);
  }

  /** curl straight to the origin, its connection bound to {@code address} (one line). */
  Download onLine(String address, String url, long size) throws Exception {
    return run(curl("--interface", address, url), size);
  }

  /** aria2c with four connections straight to the origin, all bound to {@code address}. */
  Download aria2cOnLine(String address, String url, long size) throws Exception {
    return run(
        List.of(
            "aria2c",
            "--quiet=true",
            "--no-conf=true",
            "--max-connection-per-server=" + ARIA2C_CONNECTIONS,
            "--split=" + ARIA2C_CONNECTIONS,
            "--min-split-size=1M",
            "--interface=" + address,
            "--dir=" + dir,
            "--out=" + SAVED,
            "--allow-overwrite=true",
            "--auto-file-renaming=false",
            "--file-allocation=none",
            url),
        size);
  }

  private List<String> curl(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of("curl", "--silent", "--show-error", "--fail", "--output", saved().toString()));
    command.addAll(List.of(args));
    return command;
  }

  private Path saved() {
    return dir.resolve(SAVED);
  }

  private Download run(List<String> command, long size) throws Exception {
    Files.deleteIfExists(saved());
    long started = System.nanoTime();
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    PROXY_VARIABLES.forEach(builder.environment()::remove);
    Process process = builder.start();
    boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - started) / 1e9;
    if (!finished) {
      process.destroyForcibly().waitFor();
    }
    String output = new String(process.getInputStream().readAllBytes()).trim();
    if (!finished || process.exitValue() != 0) {
      System.err.printf(
          "bench: %s failed (%s): %s%n",
          command.get(0), finished ? "exit " + process.exitValue() : "timed out", output);
      return new Download(0, seconds, false);
    }
    long bytes = Files.size(saved());
    boolean intact = bytes == size && sha256(saved()).equals(expectedSha256(size));
    Files.delete(saved());
    return new Download(bytes, seconds, intact);
  }

  private String expectedSha256(long size) {
    return expected.computeIfAbsent(size, s -> Content.ofSize(s).sha256Hex());
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest = Content.newSha256();
    byte[] buffer = new byte[HASH_BUFFER];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
