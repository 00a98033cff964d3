package io.bamqp.peer.internal;

import static io.bamqp.security.Fuzz.anyStrings;
import static io.bamqp.security.Fuzz.booleans;
import static io.bamqp.security.Fuzz.bytes;
import static io.bamqp.security.Fuzz.longs;
import static io.bamqp.security.Fuzz.of;
import static io.bamqp.security.Fuzz.oneOf;
import static io.bamqp.security.Fuzz.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.peer.JobAnswer;
import io.bamqp.peer.JobOffer;
import io.bamqp.peer.PeerError;
import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.peer.PeerProtocol;
import io.bamqp.peer.PingAnswer;
import io.bamqp.peer.RangeFetch;
import io.bamqp.security.Fuzz;
import io.bamqp.security.Fuzz.Gen;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests of the peer protocol's JSON messages as the other side reads them: any body
 * (valid messages mutated byte by byte, deep nesting, huge numbers, raw bytes) decodes into a
 * message whose own checks hold, or fails with a {@link PeerException} carrying the code the caller
 * asked for; never another exception, never a hang. Valid messages survive a round trip.
 */
class MessageDecodingFuzzTest {
  private static final List<Class<?>> TYPES =
      List.of(JobOffer.class, JobAnswer.class, PingAnswer.class, RangeFetch.class, PeerError.class);

  /** Valid messages of each type, as the other side writes them. */
  private static final List<String> VALID =
      List.of(
          "{\"jobId\":\"j-7f3a\",\"sizeBytes\":268435456,\"expectedMillis\":20000}",
          "{\"accepted\":true,\"rateBytesPerSec\":1250000,\"reason\":null}",
          "{\"accepted\":false,\"rateBytesPerSec\":0,\"reason\":\"busy\"}",
          "{\"peerId\":\"MFRGGZDF-MZTWQ2LK-NNWG23TP-OBYXE43U\",\"sharing\":true,"
              + "\"rateBytesPerSec\":1250000}",
          "{\"url\":\"http://mirror.example/big.iso\",\"first\":0,\"last\":1048575,"
              + "\"totalBytes\":268435456,\"etag\":\"\\\"5e1f\\\"\",\"lastModified\":null}",
          "{\"url\":\"http://a/f\",\"first\":1,\"last\":2,\"totalBytes\":10,\"etag\":null,"
              + "\"lastModified\":\"Wed, 01 Jan 2020 00:00:00 GMT\"}",
          "{\"code\":\"VALIDATOR_MISMATCH\",\"detail\":\"changed\"}");

  /** Bodies that have broken JSON readers: nesting, huge numbers and strings, duplicate keys. */
  private static final List<String> HOSTILE =
      List.of(
          "[".repeat(5000),
          "{\"a\":".repeat(3000),
          "{\"jobId\":\"a\",\"sizeBytes\":1" + "0".repeat(2000) + ",\"expectedMillis\":0}",
          "{\"jobId\":\"a\",\"sizeBytes\":1e999999999,\"expectedMillis\":0}",
          "{\"jobId\":\"a\",\"sizeBytes\":-9223372036854775808,\"expectedMillis\":0}",
          "{\"jobId\":\"a\",\"sizeBytes\":1125899906842625,\"expectedMillis\":0}",
          "{\"url\":\""
              + "u".repeat(9000)
              + "\",\"first\":0,\"last\":0,\"totalBytes\":1,"
              + "\"etag\":\"\\\"v\\\"\"}",
          "{\"url\":\"http://a/f\",\"first\":5,\"last\":4,\"totalBytes\":10,\"etag\":\"\\\"v\\\"\"}",
          "{\"url\":\"http://a/f\",\"first\":0,\"last\":9223372036854775807,"
              + "\"totalBytes\":9223372036854775807,\"etag\":\"\\\"v\\\"\"}",
          "{\"jobId\":\"a\",\"jobId\":\"b\",\"sizeBytes\":1,\"expectedMillis\":0}",
          "{\"code\":null,\"detail\":null}",
          "null",
          "",
          "\uFEFF{}",
          "{\"jobId\":\"\\ud800\",\"sizeBytes\":1,\"expectedMillis\":0}");

  /** A body and the type it is read as. */
  record Body(byte[] body, Class<?> type) {}

  @Test
  void anyBodyIsAValidMessageOrAPeerExceptionWithTheCallersCode() {
    Gen<Class<?>> types = of(TYPES);
    Gen<byte[]> valid = of(VALID).map(MessageDecodingFuzzTest::utf8);
    Gen<byte[]> bodies =
        oneOf(
            valid,
            mutated(valid),
            mutated(mutated(valid)),
            mutated(mutated(mutated(valid))),
            of(HOSTILE).map(MessageDecodingFuzzTest::utf8),
            bytes(0, 64));
    List<Body> edgeCases = new ArrayList<>();
    for (Class<?> type : TYPES) {
      // Every hostile body against every type first; then what is generated.
      for (String hostile : HOSTILE) {
        edgeCases.add(new Body(utf8(hostile), type));
      }
    }
    Fuzz.check(
        "anyBodyIsAValidMessageOrAPeerExceptionWithTheCallersCode",
        3000,
        edgeCases,
        random -> new Body(bodies.apply(random), types.apply(random)),
        input -> {
          Class<?> type = input.type();
          Object message;
          try {
            message = Json.decode(Buffer.buffer(input.body()), type, PeerErrorCode.BAD_REQUEST);
          } catch (PeerException refused) {
            assertThat(refused.code()).isEqualTo(PeerErrorCode.BAD_REQUEST);
            assertThat(refused.detail()).isNotBlank();
            return;
          }
          assertThat(message).isInstanceOf(type);
          // What was read is what the constructor accepts, and reads back the same once written.
          assertThat(Json.decode(Json.encode(message), type, PeerErrorCode.BAD_ANSWER))
              .isEqualTo(message);
        });
  }

  @Test
  void everyValidMessageSurvivesARoundTrip() {
    Fuzz.check(
        "everyValidMessageSurvivesARoundTrip",
        1000,
        List.of(
            new JobOffer("a", 1, 0),
            new JobOffer("a", PeerProtocol.MAX_REPRESENTATION_BYTES, Long.MAX_VALUE),
            JobAnswer.accept(1),
            JobAnswer.accept(Long.MAX_VALUE),
            new PingAnswer(null, false, 0),
            new PeerError("", "")),
        messages(),
        message -> {
          Buffer encoded = Json.encode(message);
          assertThat(encoded.length()).isLessThanOrEqualTo(PeerProtocol.MAX_MESSAGE_BYTES);
          assertThat(Json.decode(encoded, message.getClass(), PeerErrorCode.BAD_ANSWER))
              .isEqualTo(message);
        });
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Gen<Object> messages() {
    Gen<String> jobIds = strings("abcXYZ019._~-", 1, 64);
    Gen<Long> sizes = longs(1, PeerProtocol.MAX_REPRESENTATION_BYTES);
    Gen<Long> counts = longs(0, Long.MAX_VALUE);
    Gen<Object> offers =
        random -> new JobOffer(jobIds.apply(random), sizes.apply(random), counts.apply(random));
    Gen<String> reasons =
        random -> {
          String reason;
          do {
            reason = anyStrings(40).apply(random);
          } while (reason.isBlank());
          return reason;
        };
    Gen<Object> answers =
        oneOf(longs(1, Long.MAX_VALUE).map(JobAnswer::accept), reasons.map(JobAnswer::decline));
    Gen<String> peerIds = anyStrings(40).orNull(0.2);
    Gen<Boolean> sharing = booleans();
    Gen<Object> pings =
        random ->
            new PingAnswer(peerIds.apply(random), sharing.apply(random), counts.apply(random));
    Gen<Object> fetches =
        random -> {
          long total = sizes.apply(random);
          long a = counts.apply(random);
          long b = counts.apply(random);
          long first = a % total;
          long last = first + b % (total - first);
          return new RangeFetch(
              "https://mirror.example/f.iso", first, last, total, "\"v" + a + "\"", null);
        };
    Gen<String> codes = of(PeerErrorCode.values()).map(Enum::name);
    Gen<String> details = anyStrings(60);
    Gen<Object> errors = random -> new PeerError(codes.apply(random), details.apply(random));
    return oneOf(offers, answers, pings, fetches, errors);
  }

  /**
   * {@code bytes} with a bit flipped, a JSON-significant byte inserted or replaced, or cut short.
   */
  static Gen<byte[]> mutated(Gen<byte[]> bytes) {
    return Fuzz.mutatedBytes(
        bytes,
        Stream.of("{", "}", "[", "\"", ":", ",", "\\", "-", "0", "9", "e", "null", "\u0000")
            .map(MessageDecodingFuzzTest::utf8)
            .toList());
  }
}
