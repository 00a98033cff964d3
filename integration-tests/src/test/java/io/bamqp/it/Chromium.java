package io.bamqp.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium as a process: dumps a page's DOM after its scripts ran, or takes a screenshot.
 * Each run gets a fresh profile and no background traffic; a run past its deadline is killed with
 * its children.
 */
final class Chromium {
  static final Path BINARY = Path.of("/usr/bin/chromium");

  /** Virtual time the page's scripts get before the DOM is taken. */
  private static final int VIRTUAL_TIME_MILLIS = 5000;

  private static final long DEADLINE_SECONDS = 60;

  private final Path profiles;

  /**
   * @param scratch a directory for the fresh profiles
   */
  Chromium(Path scratch) {
    this.profiles = scratch;
  }

  static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** Skips the calling test, saying what to install, when Debian's Chromium is not there. */
  static void assumeInstalled() {
    Assumptions.assumeTrue(
        installed(),
        BINARY
            + " is missing: install it with 'apt-get install --no-install-recommends chromium'"
            + " (.ci/run does) to run the browser tests");
  }

  /** The DOM of {@code url} once its scripts have run, serialized as HTML. */
  String dumpDom(String url) throws Exception {
    return run(List.of("--dump-dom", url));
  }

  /** Saves a {@code width} x {@code height} screenshot of {@code url} to {@code png}. */
  void screenshot(String url, Path png, int width, int height) throws Exception {
    run(List.of("--screenshot=" + png, "--window-size=" + width + "," + height, url));
    if (!Files.isRegularFile(png) || Files.size(png) == 0) {
      throw new AssertionError("chromium wrote no screenshot to " + png);
    }
  }

  private String run(List<String> arguments) throws Exception {
    Path profile = Files.createTempDirectory(profiles, "chromium-profile");
    List<String> command =
        new ArrayList<>(
            List.of(
                BINARY.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=" + VIRTUAL_TIME_MILLIS));
    command.addAll(arguments);
    Path stdout = profile.resolve("stdout.html");
    Path stderr = profile.resolve("stderr.txt");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    try {
      if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError(
            "chromium did not finish within "
                + DEADLINE_SECONDS
                + " s: "
                + Files.readString(stderr));
      }
    } finally {
      // Past the deadline, or the test interrupted: no browser outlives its test.
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(
          "chromium exited with " + process.exitValue() + ": " + Files.readString(stderr));
    }
    return Files.readString(stdout);
  }
}
