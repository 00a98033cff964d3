package io.bamqp.proxy.cdn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The download CDN names this node answers for in DNS mode, grouped by service: the built-in list
 * ({@code cdn-domains.txt} beside this class, with where each group comes from) narrowed to {@code
 * cdn.services}, plus {@code cdn.extraDomains} as the service {@value #EXTRA}. A name is exact
 * ({@code deb.debian.org}) or a wildcard ({@code *.windowsupdate.com}: every name below, not the
 * suffix itself). Immutable; {@link #serviceOf} is safe from any thread.
 */
public final class CdnDomains {
  /** The service {@code cdn.extraDomains} belong to. */
  public static final String EXTRA = "extra";

  private static final String RESOURCE = "cdn-domains.txt";

  /** Lower-case letters, digits and inner hyphens; at least two labels; RFC 1035's lengths. */
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private static final CdnDomains BUILT_IN = load();

  /** One group of names. */
  public record Service(String name, String description, List<String> names) {
    public Service {
      names = List.copyOf(names);
    }
  }

  private final List<Service> services;
  private final Map<String, String> exact = new HashMap<>();
  private final Map<String, String> below = new HashMap<>();

  private CdnDomains(List<Service> services) {
    this.services = List.copyOf(services);
    for (Service service : this.services) {
      for (String name : service.names()) {
        if (name.startsWith("*.")) {
          below.putIfAbsent(name.substring(2), service.name());
        } else {
          exact.putIfAbsent(name, service.name());
        }
      }
    }
  }

  /** Every built-in group. */
  public static CdnDomains builtIn() {
    return BUILT_IN;
  }

  /**
   * These built-in groups and the extra names.
   *
   * @throws IllegalArgumentException naming the first unknown service or malformed name
   */
  public static CdnDomains of(Collection<String> services, Collection<String> extraDomains) {
    Map<String, Service> known = new LinkedHashMap<>();
    BUILT_IN.services.forEach(service -> known.put(service.name(), service));
    List<Service> chosen = new ArrayList<>();
    for (String name : services) {
      Service service = known.get(name);
      if (service == null) {
        throw new IllegalArgumentException(
            "unknown service '" + name + "' (known: " + String.join(", ", known.keySet()) + ")");
      }
      if (!chosen.contains(service)) {
        chosen.add(service);
      }
    }
    if (!extraDomains.isEmpty()) {
      List<String> extra = new ArrayList<>();
      for (String name : extraDomains) {
        extra.add(checkName(name));
      }
      chosen.add(new Service(EXTRA, "cdn.extraDomains", extra));
    }
    return new CdnDomains(chosen);
  }

  /** The groups, in the order the list gives them. */
  public List<Service> services() {
    return services;
  }

  /** The names of the built-in groups, as {@code cdn.services} spells them. */
  public static List<String> builtInServiceNames() {
    return BUILT_IN.services.stream().map(Service::name).toList();
  }

  /** The service a host belongs to, if it is one of these names. */
  public Optional<String> serviceOf(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    String service = exact.get(name);
    for (int dot = name.indexOf('.');
        service == null && dot >= 0;
        dot = name.indexOf('.', dot + 1)) {
      service = below.get(name.substring(dot + 1));
    }
    return Optional.ofNullable(service);
  }

  /**
   * A CDN name as the config or the list writes it, lower-cased.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static String checkName(String written) {
    String name = written.trim().toLowerCase(Locale.ROOT);
    String host = name.startsWith("*.") ? name.substring(2) : name;
    if (host.length() > 253) {
      throw new IllegalArgumentException("'" + written + "' is longer than 253 characters");
    }
    String[] labels = host.split("\\.", -1);
    if (labels.length < 2) {
      throw new IllegalArgumentException(
          "'" + written + "' is not a domain name (write example.com or *.example.com)");
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException(
            "'"
                + written
                + "' is not a domain name (write example.com or *.example.com; a wildcard only"
                + " as the first label)");
      }
    }
    return name;
  }

  private static CdnDomains load() {
    try (InputStream in = CdnDomains.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the jar");
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** Reads the list's format (see {@code cdn-domains.txt}). */
  static CdnDomains parse(BufferedReader reader) throws IOException {
    List<Service> services = new ArrayList<>();
    String name = null;
    String description = null;
    List<String> names = new ArrayList<>();
    int number = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      number++;
      String text = line.strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      if (text.startsWith("[")) {
        int end = text.indexOf(']');
        if (end < 2) {
          throw new IllegalStateException(RESOURCE + " line " + number + ": bad group " + text);
        }
        if (name != null) {
          services.add(new Service(name, description, names));
        }
        name = text.substring(1, end);
        description = text.substring(end + 1).strip();
        names = new ArrayList<>();
      } else if (name == null) {
        throw new IllegalStateException(RESOURCE + " line " + number + ": a name before any group");
      } else {
        names.add(checkName(text));
      }
    }
    if (name != null) {
      services.add(new Service(name, description, names));
    }
    return new CdnDomains(services);
  }
}
