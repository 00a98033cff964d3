package io.bamqp.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service files in {@code deploy/} run the image unpacked as {@code /opt/bamqp}: every {@code
 * /opt/bamqp/...} program they name is in the built image, and {@code systemd-analyze verify}
 * accepts the unit with {@code /opt/bamqp} pointing at the image.
 */
class DeployFilesIT {
  private static final Path IMAGE = Path.of(System.getProperty("bamqp.image", "missing"));
  private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
  private static final Pattern OPT_PATH = Pattern.compile("/opt/bamqp/([A-Za-z0-9_./-]+)");

  @Test
  void everyProgramTheServiceFilesNameUnderOptBamqpIsInTheImage() throws Exception {
    for (Path file :
        new Path[] {DEPLOY.resolve("bamqp.service"), DEPLOY.resolve("openwrt/bamqp.init")}) {
      String text = Files.readString(file);
      assertThat(text).as(file + " runs the image's launcher").contains("/opt/bamqp/bin/bamqp");
      Matcher paths = OPT_PATH.matcher(text);
      while (paths.find()) {
        String inImage = paths.group(1);
        if (inImage.startsWith("bin/") || inImage.startsWith("runtime/bin/")) {
          assertThat(IMAGE.resolve(inImage)).as(file.getFileName() + " names it").isExecutable();
        }
      }
    }
  }

  @Test
  void theUnitVerifiesAgainstTheImage(@TempDir Path dir) throws Exception {
    assumeTrue(installed("systemd-analyze"), "systemd-analyze is not installed: unit not verified");
    String unit =
        Files.readString(DEPLOY.resolve("bamqp.service"))
            .replace("/opt/bamqp/", IMAGE.toAbsolutePath() + "/");
    Path copy = Files.writeString(dir.resolve("bamqp.service"), unit);

    Process verify =
        new ProcessBuilder("systemd-analyze", "verify", copy.toString())
            .redirectErrorStream(true)
            .start();
    verify.getOutputStream().close();
    assertThat(verify.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(output.strip()).as("systemd-analyze verify says").isEmpty();
    assertThat(verify.exitValue()).isZero();
  }

  private static boolean installed(String tool) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .filter(entry -> !entry.isEmpty())
        .anyMatch(entry -> Files.isExecutable(Path.of(entry, tool)));
  }
}
