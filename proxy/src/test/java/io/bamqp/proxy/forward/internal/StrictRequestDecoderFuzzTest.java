package io.bamqp.proxy.forward.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.HangDetector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpServerOptions;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based tests of the proxy's HTTP/1 request decoder, fed through Netty's {@link
 * EmbeddedChannel} as a client's socket would feed it: generated requests (pipelined, chunked, with
 * {@code Content-Length} and {@code Transfer-Encoding} together, obs-fold, NULs, bare CR or LF,
 * huge headers), mutated (bit flips, insertions, truncation) and split at arbitrary points. The
 * decoder never throws, never holds more than one request head's worth of undecoded bytes, decodes
 * the same requests however the bytes are split, and never hands on a request with ambiguous
 * framing or anything behind one.
 */
class StrictRequestDecoderFuzzTest {
  /** The limits the proxy's server runs with (its defaults). */
  private static final HttpServerOptions OPTIONS =
      new HttpServerOptions()
          .setMaxHeaderSize(16 * 1024)
          .setMaxInitialLineLength(8 * 1024 + 32)
          .setMaxChunkSize(ProxyServerImpl.RELAY_CHUNK_SIZE);

  /** At most one request line and one header block wait for their end. */
  private static final int MAX_HELD_BYTES =
      OPTIONS.getMaxHeaderSize() + OPTIONS.getMaxInitialLineLength();

  private static final Method INTERNAL_BUFFER = internalBuffer();

  @Property(tries = 1500)
  void anyBytesSplitAnywhereAreDecodedWithoutFailureAndWithBoundedMemory(
      @ForAll("streams") byte[] bytes, @ForAll("cuts") List<Integer> cuts) throws Exception {
    HangDetector.run(
        () -> {
          EmbeddedChannel channel = new EmbeddedChannel(new StrictRequestDecoder(OPTIONS));
          for (byte[] piece : split(bytes, cuts)) {
            channel.writeInbound(Unpooled.wrappedBuffer(piece));
            assertThat(held(channel)).isLessThanOrEqualTo(MAX_HELD_BYTES);
          }
          for (Object decoded : drain(channel)) {
            assertThat(decoded).isInstanceOf(HttpObject.class);
          }
          channel.finishAndReleaseAll();
        });
  }

  @Property(tries = 1500)
  void howTheBytesAreSplitNeverChangesWhatIsDecoded(
      @ForAll("streams") byte[] bytes, @ForAll("cuts") List<Integer> cuts) throws Exception {
    List<String> whole = HangDetector.call(() -> transcript(List.of(bytes)));
    List<String> pieces = HangDetector.call(() -> transcript(split(bytes, cuts)));
    assertThat(pieces).isEqualTo(whole);
  }

  @Property(tries = 1500)
  void aRequestWithBothLengthAndChunkedIsRefusedAndNothingBehindItIsDecoded(
      @ForAll("ambiguousRequests") String request, @ForAll("cuts") List<Integer> cuts)
      throws Exception {
    byte[] bytes =
        (request + "GET /smuggled HTTP/1.1\r\nHost: origin.example\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    List<String> decoded = HangDetector.call(() -> transcript(split(bytes, cuts)));
    assertThat(decoded).isNotEmpty();
    assertThat(decoded.get(0)).startsWith("request ").endsWith(" failed");
    assertThat(decoded).noneMatch(line -> line.contains("/smuggled"));
  }

  /** What the decoder hands on, split-independent: heads, body bytes in total, message ends. */
  private static List<String> transcript(List<byte[]> pieces) {
    EmbeddedChannel channel = new EmbeddedChannel(new StrictRequestDecoder(OPTIONS));
    List<String> lines = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    for (byte[] piece : pieces) {
      channel.writeInbound(Unpooled.wrappedBuffer(piece));
      for (Object decoded : drain(channel)) {
        if (decoded instanceof HttpRequest request) {
          lines.add(
              "request "
                  + request.method()
                  + " "
                  + request.uri()
                  + " "
                  + request.protocolVersion()
                  + " "
                  + new TreeSet<>(
                      request.headers().entries().stream().map(Object::toString).toList())
                  + (request.decoderResult().isSuccess() ? " ok" : " failed"));
        }
        if (decoded instanceof HttpContent content) {
          body.append(content.content().toString(StandardCharsets.ISO_8859_1));
          if (!content.decoderResult().isSuccess()) {
            lines.add("body " + body + " failed");
            body.setLength(0);
          }
          if (content instanceof LastHttpContent last) {
            lines.add("end " + body + " " + last.trailingHeaders().entries());
            body.setLength(0);
          }
          content.release();
        }
      }
    }
    channel.finishAndReleaseAll();
    if (body.length() > 0) {
      lines.add("body " + body);
    }
    return lines;
  }

  private static List<Object> drain(EmbeddedChannel channel) {
    List<Object> decoded = new ArrayList<>();
    for (Object next = channel.readInbound(); next != null; next = channel.readInbound()) {
      decoded.add(next);
    }
    return decoded;
  }

  private static int held(EmbeddedChannel channel) throws Exception {
    ByteBuf cumulation = (ByteBuf) INTERNAL_BUFFER.invoke(channel.pipeline().first());
    return cumulation.readableBytes();
  }

  private static Method internalBuffer() {
    try {
      Method method = ByteToMessageDecoder.class.getDeclaredMethod("internalBuffer");
      method.setAccessible(true);
      return method;
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code bytes} cut at the given offsets (taken modulo its length), in order. */
  static List<byte[]> split(byte[] bytes, List<Integer> cuts) {
    TreeSet<Integer> at = new TreeSet<>();
    for (int cut : cuts) {
      at.add(bytes.length == 0 ? 0 : cut % (bytes.length + 1));
    }
    at.add(bytes.length);
    List<byte[]> pieces = new ArrayList<>();
    int from = 0;
    for (int to : at) {
      byte[] piece = new byte[to - from];
      System.arraycopy(bytes, from, piece, 0, piece.length);
      pieces.add(piece);
      from = to;
    }
    return pieces;
  }

  @Provide
  Arbitrary<List<Integer>> cuts() {
    return Arbitraries.integers().between(0, 1 << 20).list().ofMaxSize(12);
  }

  @Provide
  Arbitrary<String> ambiguousRequests() {
    Arbitrary<String> chunked =
        Arbitraries.of(
            "chunked",
            "Chunked",
            "CHUNKED",
            " chunked",
            "chunked ",
            "gzip, chunked",
            "identity,chunked",
            "\tchunked");
    Arbitrary<String> length = Arbitraries.of("5", "0", "12", " 5", "05", "5, 5");
    Arbitrary<String> version =
        Arbitraries.of("HTTP/1.1", "HTTP/1.0", "http/1.1", "HTTP/1.2", "Http/1.0");
    Arbitrary<String> method = Arbitraries.of("POST", "GET", "PUT");
    Arbitrary<Boolean> lengthFirst = Arbitraries.of(true, false);
    Arbitrary<String> fold = Arbitraries.of(": ", ":", ":\r\n ");
    return Combinators.combine(method, version, chunked, length, lengthFirst, fold)
        .as(
            (m, v, te, cl, clFirst, sep) -> {
              String teLine = "Transfer-Encoding" + sep + te + "\r\n";
              String clLine = "Content-Length: " + cl + "\r\n";
              return m
                  + " http://origin.example/upload "
                  + v
                  + "\r\nHost: origin.example\r\n"
                  + (clFirst ? clLine + teLine : teLine + clLine)
                  + "\r\n0\r\n\r\n";
            });
  }

  @Provide
  Arbitrary<byte[]> streams() {
    Arbitrary<byte[]> requests =
        requests()
            .list()
            .ofMinSize(1)
            .ofMaxSize(3)
            .map(list -> String.join("", list))
            .map(text -> text.getBytes(StandardCharsets.ISO_8859_1));
    return Arbitraries.oneOf(
        requests,
        mutated(requests),
        mutated(mutated(requests)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
        Combinators.combine(requests, Arbitraries.bytes().array(byte[].class).ofMaxSize(64))
            .as(StrictRequestDecoderFuzzTest::concat));
  }

  private Arbitrary<String> requests() {
    Arbitrary<String> line =
        Combinators.combine(
                Arbitraries.of("GET", "POST", "CONNECT", "HEAD", "PUT", "G ET", "", "GET\0"),
                Arbitraries.of(
                    "/",
                    "/file.iso?x=1",
                    "http://origin.example/a",
                    "origin.example:443",
                    "/a\u0001b",
                    "/\u00ff",
                    "*",
                    "/" + "a".repeat(9000)),
                Arbitraries.of("HTTP/1.1", "HTTP/1.0", "http/1.1", "HTTP/1.2", "HTTP/2.0", ""),
                eol())
            .as((m, t, v, e) -> m + " " + t + " " + v + e);
    Arbitrary<String> header =
        Combinators.combine(
                Arbitraries.of(
                    "Host",
                    "Content-Length",
                    "Transfer-Encoding",
                    "Connection",
                    "X-A",
                    "Host ",
                    " Host",
                    "Ho\0st",
                    "Expect"),
                Arbitraries.of(": ", ":", ":\r\n ", ":\t"),
                Arbitraries.of(
                    "origin.example",
                    "0",
                    "3",
                    "5",
                    "-1",
                    "99999999999999999999",
                    "chunked",
                    "gzip, chunked",
                    "close",
                    "100-continue",
                    "a\0b",
                    "a\rb",
                    "x".repeat(17_000)),
                eol())
            .as((n, s, v, e) -> n + s + v + e);
    Arbitrary<String> body =
        Arbitraries.of(
            "",
            "abc",
            "3\r\nabc\r\n0\r\n\r\n",
            "3;ext=1\r\nabc\r\n0\r\nTrailer: t\r\n\r\n",
            "fffffffffffffffff\r\n",
            "-1\r\n",
            "0\r\n\r\n");
    return Combinators.combine(line, header.list().ofMaxSize(5), eol(), body)
        .as((l, h, e, b) -> l + String.join("", h) + e + b);
  }

  private static Arbitrary<String> eol() {
    return Arbitraries.of("\r\n", "\r\n", "\r\n", "\n", "\r");
  }

  /** {@code bytes} with bits flipped, a byte inserted or replaced, or cut short. */
  static Arbitrary<byte[]> mutated(Arbitrary<byte[]> bytes) {
    return Combinators.combine(
            bytes,
            Arbitraries.integers().between(0, 1 << 20),
            Arbitraries.of((byte) 0, (byte) '\r', (byte) '\n', (byte) ' ', (byte) ':', (byte) 0xff),
            Arbitraries.integers().between(0, 3))
        .as(
            (original, where, b, how) -> {
              if (original.length == 0) {
                return new byte[] {b};
              }
              int at = where % original.length;
              byte[] copy = original.clone();
              switch (how) {
                case 0 -> copy[at] ^= (byte) (1 << (where % 8));
                case 1 -> copy[at] = b;
                case 2 -> {
                  byte[] longer = new byte[original.length + 1];
                  System.arraycopy(original, 0, longer, 0, at);
                  longer[at] = b;
                  System.arraycopy(original, at, longer, at + 1, original.length - at);
                  return longer;
                }
                default -> {
                  byte[] shorter = new byte[at];
                  System.arraycopy(original, 0, shorter, 0, at);
                  return shorter;
                }
              }
              return copy;
            });
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = new byte[first.length + second.length];
    System.arraycopy(first, 0, both, 0, first.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }
}
