package io.bamqp.proxy.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which config sections a running node cannot take on without a restart. Peers ({@code
 * peer.static}, {@code peer.trusted}), {@code sharing} and {@code log.level} apply at once;
 * sockets, the state folder and the policies built at start-up wait for the next start.
 */
final class RestartKeys {
  private RestartKeys() {}

  /** The sections that differ and need a restart, comma-separated; empty when none does. */
  static String changed(BamqpConfig before, BamqpConfig after) {
    List<String> keys = new ArrayList<>();
    note(keys, "proxy", before.proxy(), after.proxy());
    note(keys, "wan", before.wan(), after.wan());
    note(keys, "aggregation", before.aggregation(), after.aggregation());
    note(keys, "peer.listen", before.peer().listen(), after.peer().listen());
    note(keys, "discovery", before.discovery(), after.discovery());
    note(keys, "security", before.security(), after.security());
    note(keys, "stats", before.stats(), after.stats());
    note(keys, "state", before.state(), after.state());
    note(keys, "log.file", before.log().file(), after.log().file());
    note(keys, "log.maxBytes", before.log().maxBytes(), after.log().maxBytes());
    return String.join(", ", keys);
  }

  private static void note(List<String> keys, String key, Object before, Object after) {
    if (!Objects.equals(before, after)) {
      keys.add(key);
    }
  }
}
