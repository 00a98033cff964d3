package io.bamqp.proxy.cli;

import io.bamqp.discovery.LanAddresses;
import io.bamqp.proxy.cdn.DnsOverrides;
import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.proxy.config.Endpoint;
import io.bamqp.security.HostPort;
import io.bamqp.security.MalformedAddress;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code bamqp dns}: the resolver lines that point the download CDN names ({@code cdn.*}) at this
 * node, for dnsmasq, Unbound or a hosts file. The address is {@code --address}, else the first
 * {@code proxy.listen} bound to a specific, non-loopback address, else this machine's LAN address.
 */
final class DnsCommand {
  /** The port a client's plain-HTTP download arrives on when its DNS points at the node. */
  static final int HTTP_PORT = 80;

  private DnsCommand() {}

  static int run(List<String> args, PrintStream out, PrintStream err) {
    List<String> config = new ArrayList<>();
    String format = null;
    String address = null;
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--config" -> {
          config.add("--config");
          config.add(value(args, ++i));
        }
        case "--format" -> format = value(args, ++i);
        case "--address" -> address = value(args, ++i);
        default -> throw new Main.UsageException("unknown dns option '" + args.get(i) + "'");
      }
    }
    if (format == null) {
      throw new Main.UsageException("dns needs --format dnsmasq, unbound or hosts");
    }
    DnsOverrides.Format chosen;
    try {
      chosen = DnsOverrides.Format.parse(format);
    } catch (IllegalArgumentException e) {
      throw new Main.UsageException(e.getMessage());
    }
    String file = IdentityCommands.optionalConfig(config, null);
    BamqpConfig loaded = file == null ? BamqpConfig.defaults() : ConfigLoader.load(Path.of(file));
    InetAddress target = address != null ? numeric(address) : nodeAddress(loaded).orElse(null);
    if (target == null) {
      err.println(
          "bamqp: this machine has no private LAN address and proxy.listen binds every address:"
              + " say which address clients should reach with --address");
      return Main.FAILED;
    }
    if (loaded.proxy().listeners().stream().noneMatch(listen -> listen.port() == HTTP_PORT)) {
      err.println(
          "bamqp: note: no proxy.listen on port "
              + HTTP_PORT
              + "; clients will connect to "
              + target.getHostAddress()
              + ":"
              + HTTP_PORT
              + " (add \"0.0.0.0:80\" to proxy.listen)");
    }
    if (loaded.wan().dnsServers().isEmpty()) {
      err.println(
          "bamqp: note: wan.dnsServers is empty, so this node asks the system's resolver; if that"
              + " is the resolver you give these lines to, set wan.dnsServers to its upstream"
              + " servers, or the node finds itself (508 Loop Detected)");
    }
    out.print(DnsOverrides.render(loaded.cdn().domains(), target, chosen));
    return Main.OK;
  }

  private static Optional<InetAddress> nodeAddress(BamqpConfig config) {
    for (Endpoint listen : config.proxy().listeners()) {
      Optional<InetAddress> specific =
          HostPort.of(listen.host(), listen.port())
              .literalAddress()
              .filter(address -> !address.isAnyLocalAddress() && !address.isLoopbackAddress());
      if (specific.isPresent()) {
        return specific;
      }
    }
    return LanAddresses.choose(List.of(), config.wan().bindAddress()).stream().findFirst();
  }

  private static InetAddress numeric(String text) {
    try {
      return HostPort.of(text, 1)
          .literalAddress()
          .orElseThrow(
              () -> new Main.UsageException("--address " + text + " is not an IP address"));
    } catch (MalformedAddress e) {
      throw new Main.UsageException("--address " + text + " is not an IP address");
    }
  }

  private static String value(List<String> args, int i) {
    if (i >= args.size()) {
      throw new Main.UsageException(args.get(i - 1) + " needs a value");
    }
    return args.get(i);
  }
}
