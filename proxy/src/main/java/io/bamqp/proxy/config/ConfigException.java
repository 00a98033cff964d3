package io.bamqp.proxy.config;

/** A config file that cannot be used; the message names the key and the problem. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public ConfigException(String key, String problem) {
    super(key.isEmpty() ? problem : key + ": " + problem);
    this.key = key;
  }

  /** The dotted path of the offending key, e.g. {@code proxy.listen}; empty for the whole file. */
  public String key() {
    return key;
  }
}
