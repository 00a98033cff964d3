package io.bamqp.testbed.internal;

import io.bamqp.testbed.Line;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps a client's source address to its {@link Line} and to the one token bucket all of that
 * address's connections share. Lines may be changed from any thread at any time; buckets are
 * created and drawn from on the origin's event loop only.
 */
public final class LineShaper {

  private final Map<String, Line> lines = new ConcurrentHashMap<>();
  private final Map<String, LineBucket> buckets = new HashMap<>(); // event-loop confined
  private volatile Line defaultLine;

  public LineShaper(Map<String, Line> lines, Line defaultLine) {
    this.lines.putAll(lines);
    this.defaultLine = Objects.requireNonNull(defaultLine, "defaultLine");
  }

  /** The line applied to {@code address}: its own, else the default line. */
  public Line lineFor(String address) {
    Line line = lines.get(address);
    return line != null ? line : defaultLine;
  }

  public void setLine(String address, Line line) {
    lines.put(Objects.requireNonNull(address, "address"), Objects.requireNonNull(line, "line"));
  }

  public void removeLine(String address) {
    lines.remove(address);
  }

  public void setDefaultLine(Line line) {
    this.defaultLine = Objects.requireNonNull(line, "line");
  }

  /** The bucket shared by every connection from {@code address}; call on the event loop only. */
  LineBucket bucketFor(String address) {
    return buckets.computeIfAbsent(address, a -> new LineBucket(() -> lineFor(a)));
  }
}
