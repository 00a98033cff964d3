package io.bamqp.discovery.internal;

import io.bamqp.security.PeerId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TXT record of a bamqp announcement: {@code id} (peer ID), {@code v} (protocol version),
 * {@code sharing} ({@code on}/{@code off}) and {@code rate} (offered Mbit/s); and the reading of an
 * announcement into a {@link Sighting}.
 */
final class ServiceTxt {
  static final String ID = "id";
  static final String VERSION = "v";
  static final String SHARING = "sharing";
  static final String RATE = "rate";

  /** Addresses kept from one announcement; more are dropped (one host has few). */
  static final int MAX_ADDRESSES = 8;

  private ServiceTxt() {}

  /** The TXT properties this node announces. */
  static Map<String, String> encode(PeerId self, String version, boolean sharing, double rateMbps) {
    Map<String, String> txt = new LinkedHashMap<>();
    txt.put(ID, self.toString());
    txt.put(VERSION, version);
    txt.put(SHARING, sharing ? "on" : "off");
    txt.put(RATE, formatRate(rateMbps));
    return txt;
  }

  /**
   * Reads one resolved announcement.
   *
   * @throws Malformed naming what is wrong, for one log line
   */
  static Sighting decode(
      String serviceName, Map<String, String> txt, List<InetAddress> addresses, int port)
      throws Malformed {
    String idText = txt.get(ID);
    if (idText == null || idText.isBlank()) {
      throw new Malformed("no 'id' in its TXT record");
    }
    PeerId id;
    try {
      id = PeerId.parse(idText);
    } catch (IllegalArgumentException e) {
      throw new Malformed("a bad 'id': " + e.getMessage());
    }
    if (port < 1 || port > 65_535) {
      throw new Malformed("port " + port);
    }
    if (addresses.isEmpty()) {
      throw new Malformed("no address");
    }
    List<InetSocketAddress> endpoints = new ArrayList<>();
    for (InetAddress address : addresses) {
      if (endpoints.size() < MAX_ADDRESSES) {
        endpoints.add(new InetSocketAddress(address, port));
      }
    }
    return new Sighting(serviceName, id, endpoints, sharing(txt), rate(txt));
  }

  private static boolean sharing(Map<String, String> txt) throws Malformed {
    String value = txt.getOrDefault(SHARING, "off");
    switch (value) {
      case "on":
        return true;
      case "off":
        return false;
      default:
        throw new Malformed("'sharing=" + value + "' (on or off expected)");
    }
  }

  private static double rate(Map<String, String> txt) throws Malformed {
    String value = txt.getOrDefault(RATE, "0");
    try {
      double rate = Double.parseDouble(value);
      if (rate >= 0 && !Double.isInfinite(rate)) {
        return rate;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new Malformed("'rate=" + value + "' (Mbit/s expected)");
  }

  private static String formatRate(double rateMbps) {
    return rateMbps == Math.rint(rateMbps) && rateMbps < 1e15
        ? Long.toString((long) rateMbps)
        : Double.toString(rateMbps);
  }

  /** An announcement that is not a usable bamqp one. */
  static final class Malformed extends Exception {
    Malformed(String what) {
      super(what, null, false, false);
    }
  }
}
