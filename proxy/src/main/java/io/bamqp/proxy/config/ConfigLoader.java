package io.bamqp.proxy.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.bamqp.security.Cidr;
import io.bamqp.security.PeerId;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads a {@link BamqpConfig} from YAML, strictly: an unknown key, a value of the wrong type or a
 * bad value stops with a {@link ConfigException} that names the key, never a silent default.
 */
public final class ConfigLoader {
  private static final ObjectMapper MAPPER = strictMapper();

  private ConfigLoader() {}

  /** Reads and validates the file at {@code path}. */
  public static BamqpConfig load(Path path) {
    try (Reader reader = Files.newBufferedReader(path)) {
      return read(reader);
    } catch (NoSuchFileException e) {
      throw new ConfigException(
          "", "no config file at " + path + " (`bamqp init --config " + path + "` writes one)");
    } catch (IOException e) {
      throw new ConfigException("", "cannot read " + path + ": " + e.getMessage());
    }
  }

  /** Reads and validates YAML text. */
  public static BamqpConfig parse(String yaml) {
    try {
      return read(new StringReader(yaml));
    } catch (IOException e) {
      throw new ConfigException("", e.getMessage());
    }
  }

  private static BamqpConfig read(Reader reader) throws IOException {
    BamqpConfig config;
    try (JsonParser parser = MAPPER.createParser(reader)) {
      // A file with nothing but comments means "all defaults", not an error.
      config =
          parser.nextToken() == null
              ? BamqpConfig.defaults()
              : MAPPER.readValue(parser, BamqpConfig.class);
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof JsonProcessingException syntax) {
        throw notYaml(syntax);
      }
      throw translate(e);
    } catch (JsonProcessingException e) {
      throw notYaml(e);
    }
    if (config == null) {
      config = BamqpConfig.defaults();
    }
    config.validate();
    return config;
  }

  private static ConfigException notYaml(JsonProcessingException e) {
    String oneLine = e.getOriginalMessage().replaceAll("\\s+", " ").trim();
    return new ConfigException("", "not valid YAML: " + oneLine);
  }

  private static ConfigException translate(JsonMappingException e) {
    String key =
        e.getPath().stream()
            .map(
                ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
            .collect(Collectors.joining("."))
            .replace(".[", "[");
    if (e instanceof UnrecognizedPropertyException unknown) {
      String known =
          unknown.getKnownPropertyIds().stream()
              .map(Object::toString)
              .sorted()
              .collect(Collectors.joining(", "));
      return new ConfigException(key, "unknown key (known here: " + known + ")");
    }
    Throwable cause = e.getCause();
    if (cause instanceof IllegalArgumentException bad) {
      return new ConfigException(key, bad.getMessage());
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return new ConfigException(key, "wrong type: expected " + describe(mismatch.getTargetType()));
    }
    return new ConfigException(key, e.getOriginalMessage());
  }

  /** What a value of {@code type} looks like in the file, for error messages. */
  private static String describe(Class<?> type) {
    if (type.isRecord() && type.getEnclosingClass() == BamqpConfig.class
        || type == BamqpConfig.class) {
      return "a section of 'key: value' lines";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "a list like [a, b]";
    }
    if (type == Integer.class || type == int.class) {
      return "a whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == ByteSize.class) {
      return "a size like 8MiB";
    }
    if (type == Duration.class) {
      return "a duration like 10s";
    }
    if (type == Endpoint.class) {
      return "host:port";
    }
    if (type == PeerId.class) {
      return "a peer ID like ABCDEFGH-IJKLMNOP-QRSTUVWX-YZ234567";
    }
    if (type == DailyWindow.class) {
      return "a daily window like 01:00-07:00";
    }
    if (type == Cidr.class) {
      return "an address block like 192.168.0.0/16";
    }
    return "text";
  }

  private static ObjectMapper strictMapper() {
    SimpleModule values = new SimpleModule("bamqp-config-values");
    values.addDeserializer(ByteSize.class, new TextValue<>(ByteSize.class, ByteSize::parse, true));
    values.addDeserializer(Endpoint.class, new TextValue<>(Endpoint.class, Endpoint::parse, false));
    values.addDeserializer(Cidr.class, new TextValue<>(Cidr.class, Cidr::parse, false));
    values.addDeserializer(Duration.class, new TextValue<>(Duration.class, Timeout::parse, false));
    values.addDeserializer(
        DailyWindow.class, new TextValue<>(DailyWindow.class, DailyWindow::parse, false));
    values.addDeserializer(PeerId.class, new TextValue<>(PeerId.class, PeerId::parse, false));
    return JsonMapper.builder(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .addModule(values)
        .build();
  }

  /** A config value written as text (or, for sizes, a plain number) and parsed by its type. */
  private static final class TextValue<T> extends StdScalarDeserializer<T> {
    private static final long serialVersionUID = 1L;
    private final Class<T> type;
    private final transient Function<String, T> parser;
    private final boolean numbersAllowed;

    TextValue(Class<T> type, Function<String, T> parser, boolean numbersAllowed) {
      super(type);
      this.type = type;
      this.parser = parser;
      this.numbersAllowed = numbersAllowed;
    }

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken token = p.currentToken();
      boolean text = token == JsonToken.VALUE_STRING;
      boolean number = token == JsonToken.VALUE_NUMBER_INT && numbersAllowed;
      if (!text && !number) {
        return type.cast(ctxt.handleUnexpectedToken(type, p));
      }
      try {
        return parser.apply(p.getText());
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw JsonMappingException.from(
            p, e.getMessage(), new IllegalArgumentException(e.getMessage()));
      }
    }
  }
}
