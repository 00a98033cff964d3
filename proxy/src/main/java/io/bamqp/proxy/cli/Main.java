package io.bamqp.proxy.cli;

import io.bamqp.peer.ReadBatching;
import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigException;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.proxy.config.ConfigPrinter;
import io.bamqp.proxy.config.ConfigWatcher;
import io.bamqp.proxy.config.Endpoint;
import io.bamqp.proxy.demo.Demo;
import io.bamqp.proxy.node.ConfigMapping;
import io.bamqp.proxy.node.Node;
import io.bamqp.proxy.node.StartFailure;
import io.bamqp.security.Identity;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
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

  /** How long {@code run} waits for every part to start before it gives up. */
  static final Duration START_DEADLINE = Duration.ofSeconds(30);

  private static final System.Logger LOG = System.getLogger("io.bamqp");

  static final String USAGE =
      """
      Usage: bamqp <command> [options]
             bamqp --version

      Every command that reads a config takes --config FILE; without it, bamqp.yaml in the
      current folder.

      Commands:
        run [--config FILE]  run this node: the HTTP proxy on proxy.listen (needs the identity
                             that init or keygen made; run never makes one)
        check [--config FILE]
                             validate a config file and print it as YAML with every default
                             filled in and secrets masked
        status [--config FILE]
                             what the running node does: its downloads, neighbors and sharing,
                             from its statistics API on stats.listen (sends stats.token if set)
        demo                 start a local origin and a proxy, download through both, print figures
        init [--config FILE] write a commented config (sharing off), make this node's identity
                             and print its peer ID with the pairing steps
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
        --version            print the version and the commit it was built from

      Exit codes:
        0  success
        1  the node could not start or failed while running (e.g. a port is taken); a retry
           may succeed
        2  bad command line
        3  bad config or set-up that a retry cannot fix: the message names the key or file and
           the problem (no identity, state.dir not writable, log.file not writable)
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
    if (args.get(0).equals("--version") || args.get(0).equals("version")) {
      out.println(Version.line());
      return OK;
    }
    try {
      return switch (args.get(0)) {
        case "run" -> runNode(configPath(args.subList(1, args.size())), err);
        case "check" -> check(configPath(args.subList(1, args.size())), out);
        case "demo" -> demo(args.subList(1, args.size()), out, err);
        case "init" -> IdentityCommands.init(args.subList(1, args.size()), out, err);
        case "id" -> IdentityCommands.id(args.subList(1, args.size()), out, err);
        case "keygen" -> IdentityCommands.keygen(args.subList(1, args.size()), out, err);
        case "audit" -> AuditCommand.run(args.subList(1, args.size()), out, err);
        case "status" -> StatusCommand.run(args.subList(1, args.size()), out, err);
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

  private static int demo(List<String> options, PrintStream out, PrintStream err) {
    if (!options.isEmpty()) {
      throw new UsageException("demo takes no options");
    }
    LogSetup.configure("warn", err);
    return Demo.run(out) ? OK : FAILED;
  }

  private static boolean isHelp(String arg) {
    return arg.equals("help") || arg.equals("--help") || arg.equals("-h");
  }

  private static Path configPath(List<String> options) {
    return Path.of(IdentityCommands.optionalConfig(options, IdentityCommands.DEFAULT_CONFIG));
  }

  private static int check(Path path, PrintStream out) {
    BamqpConfig config = ConfigLoader.load(path);
    ConfigMapping.totalBufferBytes(config); // what only this JVM can judge: refused with exit 3
    out.println(
        "# " + path + ": OK. The effective config, every default filled in; secrets masked.");
    for (String warning : config.warnings()) {
      out.println("# warning: " + warning);
    }
    out.print(ConfigPrinter.masked(config));
    return OK;
  }

  /**
   * Threads for blocking work: Vert.x's worker pool (the node's state files, the statistics
   * history, reading its own sockets) and its internal pool (file system calls). Each is used a few
   * times a minute at most; Vert.x's default of 20 each is 40 idle threads, with their stacks and
   * malloc arenas, on a router.
   */
  static final int BLOCKING_THREADS = 4;

  /**
   * The node's Vert.x, on Netty's native transport (epoll on Linux) where its library loads: fewer
   * copies and system calls per read than Java NIO. Elsewhere, or when the library cannot load (or
   * {@code -Dio.netty.transport.noNative=true}), on NIO. Logs once which, and why not native. On
   * epoll its client connections read an origin's batches whole ({@link ReadBatching#vertx}).
   */
  static Vertx nodeVertx() {
    Vertx vertx =
        ReadBatching.vertx(
            new VertxOptions()
                .setPreferNativeTransport(true)
                .setWorkerPoolSize(BLOCKING_THREADS)
                .setInternalBlockingPoolSize(BLOCKING_THREADS));
    LOG.log(System.Logger.Level.INFO, transportLine(vertx));
    return vertx;
  }

  static String transportLine(Vertx vertx) {
    if (vertx.isNativeTransportEnabled()) {
      return "network transport: " + Transport.nativeTransport().name() + " (native)";
    }
    Throwable cause = vertx.unavailableNativeTransportCause();
    if (cause == null) {
      return "network transport: Java NIO (no native transport for this system)";
    }
    Throwable root = cause;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return "network transport: Java NIO (the native transport is unavailable: "
        + cause
        + (root == cause ? "" : "; " + root)
        + ")";
  }

  private static int runNode(Path path, PrintStream err) {
    BamqpConfig config = ConfigLoader.load(path);
    ConfigMapping.totalBufferBytes(config); // before anything starts: refused with exit 3
    Identity identity;
    try {
      identity = NodeIdentity.existing(config, path, true);
      LogSetup.configure(config.log(), err);
    } catch (NodeIdentity.Problem e) {
      err.println("bamqp: " + e.getMessage());
      return CONFIG_ERROR;
    } catch (IOException e) {
      err.println("bamqp: log.file " + config.log().file() + ": " + StartFailure.describe(e));
      return CONFIG_ERROR;
    }
    for (String warning : config.warnings()) {
      LOG.log(System.Logger.Level.WARNING, warning);
    }
    Vertx vertx = nodeVertx();
    Node node;
    try {
      node =
          Node.start(vertx, config, identity)
              .toCompletionStage()
              .toCompletableFuture()
              .get(START_DEADLINE.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      err.println(
          "bamqp: "
              + (cause instanceof StartFailure
                  ? cause.getMessage()
                  : "cannot start: " + StartFailure.describe(cause)));
      vertx.close();
      return FAILED;
    } catch (TimeoutException e) {
      err.println("bamqp: the node did not start within " + START_DEADLINE.toSeconds() + "s");
      vertx.close();
      return FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FAILED;
    }
    LOG.log(System.Logger.Level.INFO, startLine(config, node));
    Instant started = Instant.now();
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
                  LogSetup.lastWords(
                      LOG.getName(),
                      "bamqp node "
                          + node.id()
                          + " stopped after "
                          + uptime(Duration.between(started, Instant.now()))
                          + (stopped.getCount() == 0 ? "" : " (some parts did not close in 10s)"));
                },
                "bamqp-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return OK;
  }

  /** The start line: what this node is, where it listens and whom it works with. */
  static String startLine(BamqpConfig config, Node node) {
    return Version.line()
        + " started as peer ID "
        + node.id()
        + ": proxy on "
        + new Endpoint(config.proxy().listen().host(), node.proxyPort())
        + ", peers on "
        + new Endpoint(config.peer().listen().host(), node.peerPort())
        + ", stats "
        + (node.statsPort() < 0
            ? "off"
            : "on " + new Endpoint(config.stats().listen().host(), node.statsPort()))
        + ", sharing "
        + (config.sharing().enabled() ? "on" : "off")
        + ", "
        + neighbors(config);
  }

  /** Whom the node works with: trusted IDs, and how many of them it can reach yet. */
  static String neighbors(BamqpConfig config) {
    int trusted = config.peer().trusted().size();
    if (trusted == 0) {
      return "no trusted neighbor yet (peer.trusted is empty)";
    }
    int addressed = config.peer().usablePeers().size();
    String count = trusted + " trusted neighbor(s)";
    if (addressed == trusted) {
      return count + ", each at a peer.static address";
    }
    return count
        + ": "
        + addressed
        + " at a peer.static address, "
        + (trusted - addressed)
        + (config.discovery().mdns()
            ? " to be found by mDNS"
            : " unreachable until listed in peer.static (discovery.mdns is off)");
  }

  private static String uptime(Duration up) {
    long seconds = up.toSeconds();
    return seconds < 120
        ? seconds + "s"
        : seconds < 7200
            ? up.toMinutes() + "min"
            : String.format(Locale.ROOT, "%.1fh", seconds / 3600.0);
  }

  /** Applies each valid edit of the config file to the running node; null if it cannot watch. */
  private static ConfigWatcher watch(Path path, BamqpConfig config, Node node) {
    try {
      return ConfigWatcher.start(
          path,
          config,
          next -> {
            LogSetup.level(next.log().level());
            node.reconfigure(next);
          });
    } catch (IOException e) {
      LOG.log(
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
