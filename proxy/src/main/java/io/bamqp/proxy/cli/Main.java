package io.bamqp.proxy.cli;

import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigException;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.proxy.config.ConfigWatcher;
import io.bamqp.proxy.demo.Demo;
import io.bamqp.proxy.node.Node;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The {@code bamqp} command line. Exit codes are listed in {@link #USAGE} and the README. */
public final class Main {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE_ERROR = 2;
  public static final int CONFIG_ERROR = 3;

  static final String USAGE =
      """
      Usage: bamqp <command> [options]

      Commands:
        run --config FILE    run this node: the HTTP proxy on proxy.listen
        check --config FILE  validate a config file and print it with every default filled in
        demo                 start a local origin and a proxy, download through both, print figures
        init [--config FILE] write a commented config (default bamqp.yaml, sharing off), make this
                             node's identity and print its peer ID with the pairing steps
        id [--config FILE]   print this node's peer ID (from state.dir/identity.key)
        keygen [--config FILE]
                             make this node's identity key in state.dir (never replaces one)
        audit [--config FILE] [--days N] [--full]
                             what this node fetched for which neighbor in the last N days
                             (default 7), each with whether the neighbor's signature proves it;
                             --full shows query strings
        dns [--config FILE] --format dnsmasq|unbound|hosts [--address ADDR]
                             print the DNS overrides that point the download CDN names
                             (cdn.services, cdn.extraDomains) at this node (DNS mode)
        help                 show this text (also: --help, or --help after any command)

      Exit codes:
        0  success
        1  the node could not start or failed while running (e.g. the port is taken)
        2  bad command line
        3  bad config file (the message names the key and the problem)
      """;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || isHelp(args.get(0)) || args.contains("--help") || args.contains("-h")) {
      (args.isEmpty() ? err : out).print(USAGE);
      return args.isEmpty() ? USAGE_ERROR : OK;
    }
    try {
      return switch (args.get(0)) {
        case "run" -> runNode(configPath(args.subList(1, args.size())), err);
        case "check" -> check(configPath(args.subList(1, args.size())), out);
        case "demo" -> demo(args.subList(1, args.size()), out);
        case "init" -> IdentityCommands.init(args.subList(1, args.size()), out, err);
        case "id" -> IdentityCommands.id(args.subList(1, args.size()), out, err);
        case "keygen" -> IdentityCommands.keygen(args.subList(1, args.size()), out, err);
        case "audit" -> AuditCommand.run(args.subList(1, args.size()), out, err);
        case "dns" -> DnsCommand.run(args.subList(1, args.size()), out, err);
        default -> throw new UsageException("unknown command '" + args.get(0) + "'");
      };
    } catch (UsageException e) {
      err.println("bamqp: " + e.getMessage());
      err.println("Run 'bamqp --help' for usage.");
      return USAGE_ERROR;
    } catch (ConfigException e) {
      err.println("bamqp: config error: " + e.getMessage());
      return CONFIG_ERROR;
    } catch (IOException e) {
      err.println("bamqp: " + e.getMessage());
      return FAILED;
    }
  }

  private static int demo(List<String> options, PrintStream out) {
    if (!options.isEmpty()) {
      throw new UsageException("demo takes no options");
    }
    LogSetup.configure("warn");
    return Demo.run(out) ? OK : FAILED;
  }

  private static boolean isHelp(String arg) {
    return arg.equals("help") || arg.equals("--help") || arg.equals("-h");
  }

  private static Path configPath(List<String> options) {
    if (options.size() != 2 || !options.get(0).equals("--config")) {
      throw new UsageException("expected --config FILE, got " + options);
    }
    return Path.of(options.get(1));
  }

  private static int check(Path path, PrintStream out) {
    BamqpConfig config = ConfigLoader.load(path);
    out.println(path + ": OK");
    out.println(config);
    return OK;
  }

  private static int runNode(Path path, PrintStream err) {
    BamqpConfig config = ConfigLoader.load(path);
    LogSetup.configure(config.log().level());
    Vertx vertx = Vertx.vertx();
    Node node;
    try {
      node =
          Node.start(vertx, config)
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      err.println(
          "bamqp: cannot listen on "
              + config.proxy().listen()
              + " or "
              + config.peer().listen()
              + ": "
              + cause.getMessage());
      vertx.close();
      return FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FAILED;
    }
    System.getLogger("io.bamqp")
        .log(
            System.Logger.Level.INFO,
            "bamqp node: proxy on {0}:{1}, peers on {2}:{3}, sharing {4}, {5} trusted neighbor(s)",
            config.proxy().listen().host(),
            Integer.toString(node.proxyPort()),
            config.peer().listen().host(),
            Integer.toString(node.peerPort()),
            config.sharing().enabled() ? "on" : "off",
            config.peer().usablePeers().size());
    ConfigWatcher watcher = watch(path, config, node);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  closeQuietly(watcher);
                  node.close().eventually(vertx::close).onComplete(done -> stopped.countDown());
                  try {
                    stopped.await(10, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "bamqp-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return OK;
  }

  /** Applies each valid edit of the config file to the running node; null if it cannot watch. */
  private static ConfigWatcher watch(Path path, BamqpConfig config, Node node) {
    try {
      return ConfigWatcher.start(
          path,
          config,
          next -> {
            LogSetup.configure(next.log().level());
            node.reconfigure(next);
          });
    } catch (IOException e) {
      System.getLogger("io.bamqp")
          .log(
              System.Logger.Level.WARNING,
              "cannot watch {0} for changes ({1}); edits apply after a restart",
              path,
              e.getMessage());
      return null;
    }
  }

  private static void closeQuietly(ConfigWatcher watcher) {
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException ignored) {
        // Shutting down: nothing left to watch for.
      }
    }
  }

  /** A command line that does not parse. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
