package io.bamqp.security;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.stream.Collectors;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * How the node turns an origin's name into addresses ({@code wan.dnsServers}). By default the
 * system's resolver; with servers given, those servers only, asked directly. A node that is the
 * LAN's answer for CDN names (DNS mode) must ask past the LAN resolver, or it would find itself.
 *
 * <p>Both block: call them off the event loop (the node's lookup pool).
 */
public final class Resolvers {
  /** The first wait for an answer; the JDK's DNS client doubles it on each retry. */
  private static final String INITIAL_TIMEOUT_MILLIS = "1000";

  /** Retries per server: 1 s + 2 s, then the next server. */
  private static final String RETRIES = "2";

  private Resolvers() {}

  /** The system's resolver (hosts file, then the system's DNS servers). */
  public static DestinationPolicy.Resolver system() {
    return InetAddress::getAllByName;
  }

  /** The system's resolver when {@code servers} is empty, else those servers in order. */
  public static DestinationPolicy.Resolver of(List<InetSocketAddress> servers) {
    return servers.isEmpty() ? system() : new Servers(servers);
  }

  /** An A or AAAA record's value as an address named {@code host}; never a lookup. */
  private static InetAddress recordAddress(String host, String value) throws UnknownHostException {
    InetAddress address;
    try {
      address = HostPort.of(value, 1).literalAddress().orElse(null);
    } catch (MalformedAddress e) {
      address = null;
    }
    if (address == null) {
      throw new UnknownHostException(host + ": the DNS answer '" + value + "' is not an address");
    }
    return InetAddress.getByAddress(host, address.getAddress());
  }

  /** Asks the given DNS servers for A and AAAA records, following CNAMEs, with the JDK's client. */
  private static final class Servers implements DestinationPolicy.Resolver {
    private final String providerUrl;

    Servers(List<InetSocketAddress> servers) {
      this.providerUrl =
          servers.stream()
              .map(
                  server -> {
                    String host = server.getAddress().getHostAddress();
                    return "dns://"
                        + (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
                        + ":"
                        + server.getPort();
                  })
              .collect(Collectors.joining(" "));
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
      HostPort literal;
      try {
        literal = HostPort.of(host, 1);
      } catch (MalformedAddress e) {
        throw new UnknownHostException(host + ": " + e.getMessage());
      }
      if (literal.literalAddress().isPresent()) {
        return new InetAddress[] {literal.literalAddress().get()};
      }
      Hashtable<String, String> env = new Hashtable<>();
      env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
      env.put("java.naming.provider.url", providerUrl);
      env.put("com.sun.jndi.dns.timeout.initial", INITIAL_TIMEOUT_MILLIS);
      env.put("com.sun.jndi.dns.timeout.retries", RETRIES);
      DirContext context = null;
      try {
        context = new InitialDirContext(env);
        // A trailing dot makes the name absolute: no search domains are tried.
        String absolute = host.endsWith(".") ? host : host + ".";
        Attributes records = context.getAttributes(absolute, new String[] {"A", "AAAA"});
        List<InetAddress> addresses = new ArrayList<>();
        for (String type : new String[] {"A", "AAAA"}) {
          Attribute values = records.get(type);
          if (values == null) {
            continue;
          }
          NamingEnumeration<?> each = values.getAll();
          while (each.hasMore()) {
            addresses.add(recordAddress(host, each.next().toString()));
          }
        }
        if (addresses.isEmpty()) {
          throw new UnknownHostException(host + ": no A or AAAA record at " + providerUrl);
        }
        return addresses.toArray(InetAddress[]::new);
      } catch (NameNotFoundException e) {
        throw new UnknownHostException(host + ": no such name at " + providerUrl);
      } catch (NamingException e) {
        throw new UnknownHostException(
            host + ": " + providerUrl + " gave no answer: " + e.getExplanation());
      } finally {
        if (context != null) {
          try {
            context.close();
          } catch (NamingException ignored) {
            // Nothing held open that outlives the lookup.
          }
        }
      }
    }
  }
}
