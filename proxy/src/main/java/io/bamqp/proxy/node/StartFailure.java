package io.bamqp.proxy.node;

import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.Endpoint;
import java.net.BindException;
import java.net.SocketException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * A part of the node that could not start, said the way its owner can act on: the setting, its
 * value and the cause in a few words, e.g. {@code proxy.listen 0.0.0.0:3128: address in use} or
 * {@code state.dir /var/lib/bamqp: permission denied (running as user bamqp)}.
 */
public final class StartFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String setting;

  public StartFailure(String setting, String value, Throwable cause) {
    super(setting + " " + value + ": " + describe(cause), cause);
    this.setting = setting;
  }

  /** The config key of the part that failed, e.g. {@code stats.listen}. */
  public String setting() {
    return setting;
  }

  /**
   * A listener that could not bind, or, when the cause is a file (the helper opens its audit log in
   * {@code state.dir} as it starts), the state directory.
   */
  static StartFailure listener(String setting, Endpoint listen, Throwable cause) {
    if (cause instanceof StartFailure named) {
      return named;
    }
    if (cause instanceof FileSystemException file) {
      return new StartFailure("state.dir", String.valueOf(file.getFile()), cause);
    }
    boolean privileged =
        listen.port() > 0 && listen.port() < 1024 && mentions(cause, "permission denied");
    return privileged
        ? new StartFailure(
            setting,
            listen.toString(),
            new SocketException(
                "permission denied: a port below 1024 needs CAP_NET_BIND_SERVICE (running as user "
                    + user()
                    + ")"))
        : new StartFailure(setting, listen.toString(), cause);
  }

  /** The state directory (identity key, ledger, audit log, history) could not be used. */
  static StartFailure stateDir(BamqpConfig config, Throwable cause) {
    if (cause instanceof StartFailure named) {
      return named;
    }
    String where =
        cause instanceof FileSystemException file && file.getFile() != null
            ? file.getFile()
            : config.state().dir();
    return new StartFailure("state.dir", where, cause);
  }

  /** The cause in a few words: what the owner would search for, never a stack trace. */
  public static String describe(Throwable cause) {
    if (cause instanceof StartFailure named) {
      return named.getMessage();
    }
    if (cause instanceof AccessDeniedException) {
      return "permission denied (running as user " + user() + ")";
    }
    if (cause instanceof NotDirectoryException || mentions(cause, "not a directory")) {
      return "not a directory";
    }
    if (cause instanceof FileAlreadyExistsException) {
      return "exists and is not a directory";
    }
    if (cause instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (mentions(cause, "address already in use")) {
      return "address in use";
    }
    if (mentions(cause, "cannot assign requested address")) {
      return "no interface of this machine has that address";
    }
    if (mentions(cause, "permission denied")) {
      String message = cause.getMessage();
      return message.toLowerCase(Locale.ROOT).startsWith("permission denied:")
          ? message
          : "permission denied (running as user " + user() + ")";
    }
    if (cause instanceof BindException || cause instanceof FileSystemException) {
      return cause.getMessage();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  private static boolean mentions(Throwable cause, String words) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(words)) {
        return true;
      }
    }
    return false;
  }

  /** The account the JVM runs as: what a permission problem is about. */
  public static String user() {
    return System.getProperty("user.name", "?");
  }
}
