package io.bamqp.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.peer.JobAnswer;
import io.bamqp.peer.JobOffer;
import io.bamqp.peer.PeerError;
import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.peer.PeerProtocol;
import io.bamqp.peer.PingAnswer;
import io.bamqp.peer.RangeFetch;
import io.bamqp.security.HangDetector;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based tests of the peer protocol's JSON messages as the other side reads them: any body
 * (valid messages mutated byte by byte, deep nesting, huge numbers, raw bytes) decodes into a
 * message whose own checks hold, or fails with a {@link PeerException} carrying the code the caller
 * asked for; never another exception, never a hang. Valid messages survive a round trip.
 */
class MessageDecodingFuzzTest {
  private static final List<Class<?>> TYPES =
      List.of(JobOffer.class, JobAnswer.class, PingAnswer.class, RangeFetch.class, PeerError.class);

  @Property(tries = 3000)
  void anyBodyIsAValidMessageOrAPeerExceptionWithTheCallersCode(
      @ForAll("bodies") byte[] body, @ForAll("types") Class<?> type) throws Exception {
    Object message;
    try {
      message =
          HangDetector.call(
              () -> Json.decode(Buffer.buffer(body), type, PeerErrorCode.BAD_REQUEST));
    } catch (PeerException refused) {
      assertThat(refused.code()).isEqualTo(PeerErrorCode.BAD_REQUEST);
      assertThat(refused.detail()).isNotBlank();
      return;
    }
    assertThat(message).isInstanceOf(type);
    // What was read is what the constructor accepts, and reads back the same once written.
    assertThat(Json.decode(Json.encode(message), type, PeerErrorCode.BAD_ANSWER))
        .isEqualTo(message);
  }

  @Property(tries = 1000)
  void everyValidMessageSurvivesARoundTrip(@ForAll("messages") Object message) throws Exception {
    Buffer encoded = Json.encode(message);
    assertThat(encoded.length()).isLessThanOrEqualTo(PeerProtocol.MAX_MESSAGE_BYTES);
    assertThat(Json.decode(encoded, message.getClass(), PeerErrorCode.BAD_ANSWER))
        .isEqualTo(message);
  }

  @Provide
  Arbitrary<Class<?>> types() {
    return Arbitraries.of(TYPES);
  }

  @Provide
  Arbitrary<Object> messages() {
    Arbitrary<String> jobIds =
        Arbitraries.strings().withChars("abcXYZ019._~-").ofMinLength(1).ofMaxLength(64);
    Arbitrary<Long> sizes = Arbitraries.longs().between(1, PeerProtocol.MAX_REPRESENTATION_BYTES);
    Arbitrary<Object> offers =
        Combinators.combine(jobIds, sizes, Arbitraries.longs().greaterOrEqual(0)).as(JobOffer::new);
    Arbitrary<Object> answers =
        Arbitraries.oneOf(
            Arbitraries.longs().greaterOrEqual(1).map(JobAnswer::accept),
            Arbitraries.strings()
                .ofMinLength(1)
                .ofMaxLength(40)
                .filter(s -> !s.isBlank())
                .map(JobAnswer::decline));
    Arbitrary<Object> pings =
        Combinators.combine(
                Arbitraries.strings().ofMaxLength(40).injectNull(0.2),
                Arbitraries.of(true, false),
                Arbitraries.longs().greaterOrEqual(0))
            .as(PingAnswer::new);
    Arbitrary<Object> fetches =
        Combinators.combine(
                sizes, Arbitraries.longs().greaterOrEqual(0), Arbitraries.longs().greaterOrEqual(0))
            .as(
                (total, a, b) -> {
                  long first = a % total;
                  long last = first + b % (total - first);
                  return new RangeFetch(
                      "https://mirror.example/f.iso", first, last, total, "\"v" + a + "\"", null);
                });
    Arbitrary<Object> errors =
        Combinators.combine(
                Arbitraries.of(PeerErrorCode.values()).map(Enum::name),
                Arbitraries.strings().ofMaxLength(60))
            .as(PeerError::new);
    return Arbitraries.oneOf(offers, answers, pings, fetches, errors);
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<byte[]> valid =
        Arbitraries.of(
                "{\"jobId\":\"j-7f3a\",\"sizeBytes\":268435456,\"expectedMillis\":20000}",
                "{\"accepted\":true,\"rateBytesPerSec\":1250000,\"reason\":null}",
                "{\"accepted\":false,\"rateBytesPerSec\":0,\"reason\":\"busy\"}",
                "{\"peerId\":\"MFRGGZDF-MZTWQ2LK-NNWG23TP-OBYXE43U\",\"sharing\":true,"
                    + "\"rateBytesPerSec\":1250000}",
                "{\"url\":\"http://mirror.example/big.iso\",\"first\":0,\"last\":1048575,"
                    + "\"totalBytes\":268435456,\"etag\":\"\\\"5e1f\\\"\",\"lastModified\":null}",
                "{\"url\":\"http://a/f\",\"first\":1,\"last\":2,\"totalBytes\":10,\"etag\":null,"
                    + "\"lastModified\":\"Wed, 01 Jan 2020 00:00:00 GMT\"}",
                "{\"code\":\"VALIDATOR_MISMATCH\",\"detail\":\"changed\"}")
            .map(text -> text.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> hostile =
        Arbitraries.of(
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
                "{\"jobId\":\"\\ud800\",\"sizeBytes\":1,\"expectedMillis\":0}")
            .map(text -> text.getBytes(StandardCharsets.UTF_8));
    return Arbitraries.oneOf(
        valid,
        mutated(valid),
        mutated(mutated(valid)),
        mutated(mutated(mutated(valid))),
        hostile,
        Arbitraries.bytes().array(byte[].class).ofMaxSize(64));
  }

  /**
   * {@code bytes} with a bit flipped, a JSON-significant byte inserted or replaced, or cut short.
   */
  static Arbitrary<byte[]> mutated(Arbitrary<byte[]> bytes) {
    return Combinators.combine(
            bytes,
            Arbitraries.integers().between(0, 1 << 20),
            Arbitraries.of(
                    "{", "}", "[", "\"", ":", ",", "\\", "-", "0", "9", "e", "null", "\u0000")
                .map(s -> s.getBytes(StandardCharsets.UTF_8)),
            Arbitraries.integers().between(0, 3))
        .as(
            (original, where, insert, how) -> {
              if (original.length == 0) {
                return insert;
              }
              int at = where % original.length;
              byte[] copy = original.clone();
              switch (how) {
                case 0 -> copy[at] ^= (byte) (1 << (where % 8));
                case 1 -> copy[at] = insert[0];
                case 2 -> {
                  byte[] longer = new byte[original.length + insert.length];
                  System.arraycopy(original, 0, longer, 0, at);
                  System.arraycopy(insert, 0, longer, at, insert.length);
                  System.arraycopy(original, at, longer, at + insert.length, original.length - at);
                  return longer;
                }
                default -> {
                  return java.util.Arrays.copyOf(original, at);
                }
              }
              return copy;
            });
  }
}
