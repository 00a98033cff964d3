package io.bamqp.proxy.cli;

import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.node.StartFailure;
import io.bamqp.security.Identity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The identity {@code run} and {@code id} use: the key that is already in {@code state.dir}, never
 * a new one. Neighbors trust a node by its ID, so a typo in {@code state.dir} must stop the node
 * with where it looked, not start a stranger.
 */
final class NodeIdentity {
  private NodeIdentity() {}

  /**
   * Checks that {@code state.dir} is a directory this user may write and loads the key in it.
   *
   * @param configFile named in the hint of how to make an identity
   * @throws Problem naming {@code state.dir} or the key file, and the cause
   */
  static Identity existing(BamqpConfig config, Path configFile, boolean writable) throws Problem {
    Path dir = config.state().path();
    Path key = dir.resolve(Identity.KEY_FILE);
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(dir, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw missing(key, configFile);
    } catch (IOException e) {
      throw new Problem("state.dir " + dir + ": " + StartFailure.describe(e));
    }
    if (!attributes.isDirectory()) {
      throw new Problem("state.dir " + dir + ": not a directory");
    }
    if (!Files.isExecutable(dir) || writable && !Files.isWritable(dir)) {
      throw new Problem(
          "state.dir " + dir + ": permission denied (running as user " + StartFailure.user() + ")");
    }
    try {
      Files.readAttributes(key, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw missing(key, configFile);
    } catch (IOException e) {
      throw new Problem("identity key " + key + ": " + StartFailure.describe(e));
    }
    if (!Files.isReadable(key)) {
      throw new Problem(
          "identity key "
              + key
              + ": permission denied (running as user "
              + StartFailure.user()
              + ")");
    }
    try {
      return Identity.load(key);
    } catch (IOException e) {
      throw new Problem(e.getMessage());
    }
  }

  private static Problem missing(Path key, Path configFile) {
    return new Problem(
        "no identity at "
            + key
            + " (state.dir in "
            + configFile
            + "); `bamqp keygen --config "
            + configFile
            + "` makes one for this config, `bamqp init` a new node with its config. `run` never"
            + " makes one: neighbors trust this node by its peer ID");
  }

  /** Why the node has no usable identity: a set-up problem that a restart does not fix. */
  static final class Problem extends Exception {
    private static final long serialVersionUID = 1L;

    Problem(String message) {
      super(message);
    }
  }
}
