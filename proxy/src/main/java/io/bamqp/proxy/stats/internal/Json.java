package io.bamqp.proxy.stats.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;

/** The statistics API's JSON: one mapper, and answers that are always JSON, errors included. */
final class Json {
  /** Records in, records out; unknown fields in an old history line are ignored. */
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setSerializationInclusion(JsonInclude.Include.ALWAYS)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Json() {}

  static String encode(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException bug) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), bug);
    }
  }

  /** Answers {@code status} with {@code value} as JSON. */
  static void send(HttpServerResponse response, int status, Object value) {
    response
        .setStatusCode(status)
        .putHeader("content-type", "application/json; charset=utf-8")
        .putHeader("cache-control", "no-store")
        .end(Buffer.buffer(encode(value)));
  }

  /** Answers {@code status} with {@code {"error": message}}. */
  static void error(HttpServerResponse response, int status, String message) {
    if (!response.headWritten()) {
      send(response, status, Map.of("error", message));
    }
  }
}
