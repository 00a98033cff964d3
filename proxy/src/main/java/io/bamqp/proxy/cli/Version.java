package io.bamqp.proxy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version and the commit this jar was built from, written into {@code version.properties} by
 * the build ({@code proxy/pom.xml}); "unknown" for what the build could not tell.
 */
final class Version {
  static final String UNKNOWN = "unknown";
  private static final Properties BUILD = read();

  private Version() {}

  /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
  static String version() {
    return BUILD.getProperty("version", UNKNOWN);
  }

  /** The abbreviated git commit, or {@value #UNKNOWN} when built outside a git checkout. */
  static String commit() {
    return BUILD.getProperty("commit", UNKNOWN);
  }

  /** What {@code bamqp --version} prints: {@code bamqp 0.1.0 (commit 0123456789ab)}. */
  static String line() {
    return "bamqp " + version() + " (commit " + commit() + ")";
  }

  private static Properties read() {
    Properties properties = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // A jar without the file still runs; its version is "unknown".
    }
    return properties;
  }
}
