package io.bamqp.proxy.config;

import io.bamqp.security.Cidr;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A node's configuration, in the shape of the YAML file. Every key is optional; a missing key takes
 * the documented default (the constants below, listed in the README's configuration table).
 *
 * <p>Construct through {@link ConfigLoader}, which refuses unknown keys, wrong types and bad values
 * with a message naming the key.
 */
public record BamqpConfig(Proxy proxy, Wan wan, Log log) {

  public BamqpConfig {
    proxy =
        Objects.requireNonNullElseGet(
            proxy, () -> new Proxy(null, null, null, null, null, null, null, null, null, null));
    wan = Objects.requireNonNullElseGet(wan, () -> new Wan(null));
    log = Objects.requireNonNullElseGet(log, () -> new Log(null));
  }

  /** The configuration with every default. */
  public static BamqpConfig defaults() {
    return new BamqpConfig(null, null, null);
  }

  /** The HTTP front that LAN clients talk to. */
  public record Proxy(
      Endpoint listen,
      List<Cidr> allowedClients,
      List<Integer> connectPorts,
      ByteSize maxHeaderSize,
      ByteSize maxUriLength,
      Duration connectTimeout,
      Duration originTimeout,
      Duration idleTimeout,
      Integer maxClientConnections,
      Integer maxConnectionsPerOrigin) {

    /** Squid's port, the one users expect. */
    public static final Endpoint DEFAULT_LISTEN = new Endpoint("0.0.0.0", 3128);

    /** Loopback and the private ranges a home LAN uses; nothing routable from the Internet. */
    public static final List<Cidr> DEFAULT_ALLOWED_CLIENTS =
        List.of(
            Cidr.parse("127.0.0.0/8"),
            Cidr.parse("10.0.0.0/8"),
            Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.168.0.0/16"),
            Cidr.parse("::1/128"),
            Cidr.parse("fc00::/7"),
            Cidr.parse("fe80::/10"));

    /** CONNECT is allowed to HTTPS only, as Squid ships. */
    public static final List<Integer> DEFAULT_CONNECT_PORTS = List.of(443);

    public static final ByteSize DEFAULT_MAX_HEADER_SIZE = new ByteSize(16 * 1024);
    public static final ByteSize DEFAULT_MAX_URI_LENGTH = new ByteSize(8 * 1024);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_ORIGIN_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);
    public static final int DEFAULT_MAX_CLIENT_CONNECTIONS = 1024;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ORIGIN = 32;

    public Proxy {
      listen = Objects.requireNonNullElse(listen, DEFAULT_LISTEN);
      allowedClients =
          List.copyOf(Objects.requireNonNullElse(allowedClients, DEFAULT_ALLOWED_CLIENTS));
      connectPorts = List.copyOf(Objects.requireNonNullElse(connectPorts, DEFAULT_CONNECT_PORTS));
      maxHeaderSize = Objects.requireNonNullElse(maxHeaderSize, DEFAULT_MAX_HEADER_SIZE);
      maxUriLength = Objects.requireNonNullElse(maxUriLength, DEFAULT_MAX_URI_LENGTH);
      connectTimeout = Objects.requireNonNullElse(connectTimeout, DEFAULT_CONNECT_TIMEOUT);
      originTimeout = Objects.requireNonNullElse(originTimeout, DEFAULT_ORIGIN_TIMEOUT);
      idleTimeout = Objects.requireNonNullElse(idleTimeout, DEFAULT_IDLE_TIMEOUT);
      maxClientConnections =
          Objects.requireNonNullElse(maxClientConnections, DEFAULT_MAX_CLIENT_CONNECTIONS);
      maxConnectionsPerOrigin =
          Objects.requireNonNullElse(maxConnectionsPerOrigin, DEFAULT_MAX_CONNECTIONS_PER_ORIGIN);
    }

    void validate() {
      for (int port : connectPorts) {
        check(
            port >= 1 && port <= 65535,
            "proxy.connectPorts",
            "port " + port + " is outside 1-65535");
      }
      check(
          maxHeaderSize.bytes() >= 1024 && maxHeaderSize.bytes() <= 1 << 20,
          "proxy.maxHeaderSize",
          maxHeaderSize + " is outside 1KiB-1MiB");
      check(
          maxUriLength.bytes() >= 256 && maxUriLength.bytes() <= 1 << 20,
          "proxy.maxUriLength",
          maxUriLength + " is outside 256-1MiB");
      positive(connectTimeout, "proxy.connectTimeout");
      positive(originTimeout, "proxy.originTimeout");
      positive(idleTimeout, "proxy.idleTimeout");
      check(maxClientConnections >= 1, "proxy.maxClientConnections", "must be at least 1");
      check(maxConnectionsPerOrigin >= 1, "proxy.maxConnectionsPerOrigin", "must be at least 1");
    }
  }

  /** The node's Internet side. */
  public record Wan(String bindAddress) {
    /** Let the kernel choose the source address of outgoing connections. */
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";

    public Wan {
      bindAddress = Objects.requireNonNullElse(bindAddress, DEFAULT_BIND_ADDRESS);
    }

    void validate() {
      try {
        Cidr.parse(bindAddress);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            "wan.bindAddress", "must be a numeric IP address: " + e.getMessage());
      }
      check(bindAddress.indexOf('/') < 0, "wan.bindAddress", "is an address, not a CIDR block");
    }

    /** Whether outgoing connections should bind a chosen source address. */
    public boolean bindsSourceAddress() {
      return !bindAddress.equals("0.0.0.0") && !bindAddress.equals("::");
    }
  }

  /** How much the node logs. */
  public record Log(String level) {
    public static final String DEFAULT_LEVEL = "info";
    public static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug");

    public Log {
      level = Objects.requireNonNullElse(level, DEFAULT_LEVEL).toLowerCase(Locale.ROOT);
    }

    void validate() {
      check(
          LEVELS.contains(level),
          "log.level",
          "'" + level + "' is not one of error, warn, info, debug");
    }
  }

  void validate() {
    proxy.validate();
    wan.validate();
    log.validate();
  }

  private static void positive(Duration duration, String key) {
    check(!duration.isZero() && !duration.isNegative(), key, "must be longer than 0");
  }

  private static void check(boolean condition, String key, String problem) {
    if (!condition) {
      throw new ConfigException(key, problem);
    }
  }
}
