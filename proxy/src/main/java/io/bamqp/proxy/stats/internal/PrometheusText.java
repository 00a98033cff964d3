package io.bamqp.proxy.stats.internal;

import java.util.Locale;
import java.util.Map;

/**
 * The Prometheus text exposition format (version 0.0.4), written by hand: a few counters, a
 * histogram and two gauges do not need a client library.
 */
final class PrometheusText {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder text = new StringBuilder();

  /** Starts a metric family with its help line and type. */
  PrometheusText family(String name, String type, String help) {
    text.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
    text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  /** One sample without labels. */
  PrometheusText sample(String name, double value) {
    text.append(name).append(' ').append(number(value)).append('\n');
    return this;
  }

  /** One sample with one label. */
  PrometheusText sample(String name, String label, String labelValue, double value) {
    text.append(name)
        .append('{')
        .append(label)
        .append("=\"")
        .append(escapeLabel(labelValue))
        .append("\"} ")
        .append(number(value))
        .append('\n');
    return this;
  }

  /** A histogram's samples from cumulative bucket counts. */
  PrometheusText histogram(
      String name, double[] bounds, long[] cumulative, double sum, long count) {
    for (int i = 0; i < bounds.length; i++) {
      sample(name + "_bucket", "le", number(bounds[i]), cumulative[i]);
    }
    sample(name + "_bucket", "le", "+Inf", count);
    sample(name + "_sum", sum);
    sample(name + "_count", count);
    return this;
  }

  /** One labelled sample per entry. */
  PrometheusText samples(String name, String label, Map<String, Long> values) {
    values.forEach((key, value) -> sample(name, label, key, value));
    return this;
  }

  @Override
  public String toString() {
    return text.toString();
  }

  static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%s", value);
  }

  /** Label values escape backslash, double quote and line feed. */
  static String escapeLabel(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String escapeHelp(String help) {
    return help.replace("\\", "\\\\").replace("\n", "\\n");
  }
}
