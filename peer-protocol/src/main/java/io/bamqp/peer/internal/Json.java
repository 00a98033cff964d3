package io.bamqp.peer.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Reads and writes the protocol's messages, strictly: an unknown field, a missing required field, a
 * {@code null} or a string where a number belongs, or trailing garbage is refused, naming what is
 * wrong. The records' own constructors check the values.
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .build();

  private Json() {}

  /** {@code message} as JSON. */
  public static Buffer encode(Object message) {
    try {
      return Buffer.buffer(MAPPER.writeValueAsBytes(message));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
    }
  }

  /**
   * Reads a {@code type} message from {@code body}.
   *
   * @throws PeerException with {@code code} and a detail naming the problem
   */
  public static <T> T decode(Buffer body, Class<T> type, PeerErrorCode code) throws PeerException {
    String name = type.getSimpleName();
    try {
      T value = MAPPER.readValue(body.getBytes(), type);
      if (value == null) {
        throw new PeerException(code, "expected a " + name + " object, got null");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw new PeerException(code, "unknown field '" + e.getPropertyName() + "' in " + name);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new PeerException(code, "bad " + name + ": " + cause.getMessage());
    } catch (MismatchedInputException e) {
      throw new PeerException(code, "bad " + name + ": " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new PeerException(code, "malformed JSON in " + name + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new PeerException(code, "unreadable " + name + ": " + e.getMessage());
    }
  }
}
