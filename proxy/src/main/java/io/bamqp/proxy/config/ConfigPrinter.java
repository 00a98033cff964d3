package io.bamqp.proxy.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.bamqp.security.Cidr;
import io.bamqp.security.PeerId;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Writes a {@link BamqpConfig} back as the YAML the file uses (sizes as {@code 8MiB}, durations as
 * {@code 10s}, addresses as {@code host:port}), every default filled in and every secret masked:
 * what {@code bamqp check} prints. Unmasked, the text reads back to an equal config.
 */
public final class ConfigPrinter {
  /** The keys whose values never leave the file: a printed config may be pasted into an issue. */
  public static final List<String> SECRET_KEYS = List.of("stats.token");

  /** What a set secret prints as. */
  public static final String MASK = "<masked>";

  private static final ObjectMapper YAML = mapper();

  private ConfigPrinter() {}

  /** The config as YAML with every secret replaced by {@link #MASK}; unset keys are left out. */
  public static String masked(BamqpConfig config) {
    ObjectNode tree = YAML.valueToTree(config);
    for (String key : SECRET_KEYS) {
      int dot = key.indexOf('.');
      ObjectNode section = (ObjectNode) tree.get(key.substring(0, dot));
      String name = key.substring(dot + 1);
      if (section != null && section.hasNonNull(name)) {
        section.put(name, MASK);
      }
    }
    return write(tree);
  }

  /** The config as YAML, secrets included: for tests that read it back. */
  static String unmasked(BamqpConfig config) {
    return write(YAML.valueToTree(config));
  }

  private static String write(ObjectNode tree) {
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a config that cannot be written as YAML", e);
    }
  }

  private static ObjectMapper mapper() {
    SimpleModule values = new SimpleModule("bamqp-config-printer");
    for (Class<?> type : List.of(ByteSize.class, Endpoint.class, Cidr.class, PeerId.class)) {
      values.addSerializer(type, ToStringSerializer.instance);
    }
    values.addSerializer(Duration.class, new DurationText());
    values.addSerializer(DailyWindow.class, new WindowText());
    YAMLFactory yaml =
        YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();
    return JsonMapper.builder(yaml)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .addModule(values)
        .build();
  }

  /** {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}: the largest unit that is exact. */
  private static final class DurationText extends JsonSerializer<Duration> {
    @Override
    public void serialize(Duration value, JsonGenerator out, SerializerProvider provider)
        throws IOException {
      long millis = value.toMillis();
      String text;
      if (millis % 3_600_000 == 0) {
        text = millis / 3_600_000 + "h";
      } else if (millis % 60_000 == 0) {
        text = millis / 60_000 + "m";
      } else if (millis % 1000 == 0) {
        text = millis / 1000 + "s";
      } else {
        text = millis + "ms";
      }
      out.writeString(text);
    }
  }

  /** {@code 01:00-07:00}; the whole day as {@code 00:00-00:00}, which reads back. */
  private static final class WindowText extends JsonSerializer<DailyWindow> {
    @Override
    public void serialize(DailyWindow value, JsonGenerator out, SerializerProvider provider)
        throws IOException {
      out.writeString(value.start() + "-" + value.end());
    }
  }
}
