package io.bamqp.proxy.cli;

import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.security.Identity;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code bamqp init}, {@code bamqp id} and {@code bamqp keygen}: a node's identity and opt-in. */
final class IdentityCommands {
  /** The config every command reads (and {@code init} writes) when no {@code --config} is given. */
  static final String DEFAULT_CONFIG = "bamqp.yaml";

  private static final String TEMPLATE = "bamqp.example.yaml";

  private IdentityCommands() {}

  /**
   * Writes a commented config (sharing off) unless one exists, makes the identity, and prints the
   * peer ID with the pairing steps.
   */
  static int init(List<String> options, PrintStream out, PrintStream err) throws IOException {
    Path config = Path.of(optionalConfig(options, DEFAULT_CONFIG));
    if (Files.exists(config)) {
      err.println("bamqp: " + config + " exists; init never overwrites a config");
      return Main.FAILED;
    }
    try (InputStream template = IdentityCommands.class.getResourceAsStream(TEMPLATE)) {
      if (template == null) {
        throw new IllegalStateException(TEMPLATE + " is missing from the jar");
      }
      // The state lives beside the config, named absolutely: `run` may start from another folder.
      Path state = config.toAbsolutePath().getParent().resolve("bamqp-state");
      String text =
          new String(template.readAllBytes(), StandardCharsets.UTF_8)
              .replace("  dir: " + BamqpConfig.State.DEFAULT_DIR, "  dir: " + state);
      Files.writeString(config, text);
    }
    BamqpConfig written = ConfigLoader.load(config);
    Identity identity = Identity.loadOrCreate(written.state().path());
    out.println("wrote " + config + " (sharing is off until you turn it on)");
    out.println("identity in " + written.state().path().resolve(Identity.KEY_FILE));
    out.println();
    out.println("This node's peer ID: " + identity.id());
    out.println();
    out.println("To pair with a neighbor:");
    out.println("  1. give them this ID; get theirs (`bamqp id` on their router)");
    out.println("  2. add it to peer.trusted in " + config + ":   trusted: [THEIR-ID]");
    out.println("  3. on the side that gives, set sharing.enabled: true");
    out.println("Then: bamqp run --config " + config);
    return Main.OK;
  }

  /** Prints this node's peer ID; a key that exists but cannot be used is named as such. */
  static int id(List<String> options, PrintStream out, PrintStream err) {
    Path config = Path.of(optionalConfig(options, DEFAULT_CONFIG));
    try {
      out.println(NodeIdentity.existing(ConfigLoader.load(config), config, false).id());
      return Main.OK;
    } catch (NodeIdentity.Problem e) {
      err.println("bamqp: " + e.getMessage());
      return Main.FAILED;
    }
  }

  /** Makes this node's identity; never replaces one, since neighbors trust it by its ID. */
  static int keygen(List<String> options, PrintStream out, PrintStream err) {
    Path stateDir = stateDir(options);
    Path keyFile = stateDir.resolve(Identity.KEY_FILE);
    try {
      if (Files.exists(keyFile)) {
        err.println(
            "bamqp: "
                + keyFile
                + " already holds identity "
                + Identity.load(keyFile).id()
                + "; to replace it, delete the file first (every neighbor must then trust the"
                + " new ID)");
        return Main.FAILED;
      }
      out.println(Identity.loadOrCreate(stateDir).id());
      return Main.OK;
    } catch (IOException e) {
      err.println("bamqp: " + e.getMessage());
      return Main.FAILED;
    }
  }

  private static Path stateDir(List<String> options) {
    return ConfigLoader.load(Path.of(optionalConfig(options, DEFAULT_CONFIG))).state().path();
  }

  /** {@code --config FILE}, or {@code fallback} when the options are empty. */
  static String optionalConfig(List<String> options, String fallback) {
    if (options.isEmpty()) {
      return fallback;
    }
    if (options.size() != 2 || !options.get(0).equals("--config")) {
      throw new Main.UsageException("expected [--config FILE], got " + options);
    }
    return options.get(1);
  }
}
