package io.bamqp.proxy.forward.internal;

import static io.bamqp.security.Fuzz.booleans;
import static io.bamqp.security.Fuzz.bytes;
import static io.bamqp.security.Fuzz.cuts;
import static io.bamqp.security.Fuzz.of;
import static io.bamqp.security.Fuzz.oneOf;
import static io.bamqp.security.Fuzz.split;
import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.Fuzz;
import io.bamqp.security.Fuzz.Gen;
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
import org.junit.jupiter.api.Test;

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

  private static final Gen<byte[]> STREAMS = streams();
  private static final Gen<List<Integer>> CUTS = cuts(12);

  /** Bytes as a client sends them, and where the socket cuts them. */
  record Stream(byte[] bytes, List<Integer> cuts) {}

  /** Streams tried before the generated ones: nothing, lone separators, a bare request. */
  private static final List<Stream> EDGE_CASES = edgeCases();

  @Test
  void anyBytesSplitAnywhereAreDecodedWithoutFailureAndWithBoundedMemory() {
    Fuzz.check(
        "anyBytesSplitAnywhereAreDecodedWithoutFailureAndWithBoundedMemory",
        1500,
        EDGE_CASES,
        random -> new Stream(STREAMS.apply(random), CUTS.apply(random)),
        input -> {
          EmbeddedChannel channel = new EmbeddedChannel(new StrictRequestDecoder(OPTIONS));
          for (byte[] piece : split(input.bytes(), input.cuts())) {
            channel.writeInbound(Unpooled.wrappedBuffer(piece));
            assertThat(held(channel)).isLessThanOrEqualTo(MAX_HELD_BYTES);
          }
          for (Object decoded : drain(channel)) {
            assertThat(decoded).isInstanceOf(HttpObject.class);
          }
          channel.finishAndReleaseAll();
        });
  }

  @Test
  void howTheBytesAreSplitNeverChangesWhatIsDecoded() {
    Fuzz.check(
        "howTheBytesAreSplitNeverChangesWhatIsDecoded",
        1500,
        EDGE_CASES,
        random -> new Stream(STREAMS.apply(random), CUTS.apply(random)),
        input -> {
          List<String> whole = transcript(List.of(input.bytes()));
          List<String> pieces = transcript(split(input.bytes(), input.cuts()));
          assertThat(pieces).isEqualTo(whole);
        });
  }

  record Ambiguous(String request, List<Integer> cuts) {}

  @Test
  void aRequestWithBothLengthAndChunkedIsRefusedAndNothingBehindItIsDecoded() {
    Gen<String> requests = ambiguousRequests();
    Fuzz.check(
        "aRequestWithBothLengthAndChunkedIsRefusedAndNothingBehindItIsDecoded",
        1500,
        List.of(
            new Ambiguous(ambiguous("POST", "HTTP/1.1", "chunked", "5", true, ": "), List.of()),
            new Ambiguous(ambiguous("POST", "HTTP/1.0", "chunked", "0", false, ":"), List.of()),
            new Ambiguous(ambiguous("GET", "http/1.1", " chunked", "5", true, ": "), List.of(1))),
        random -> new Ambiguous(requests.apply(random), CUTS.apply(random)),
        input -> {
          byte[] bytes =
              (input.request() + "GET /smuggled HTTP/1.1\r\nHost: origin.example\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1);
          List<String> decoded = transcript(split(bytes, input.cuts()));
          assertThat(decoded).isNotEmpty();
          assertThat(decoded.get(0)).startsWith("request ").endsWith(" failed");
          assertThat(decoded).noneMatch(line -> line.contains("/smuggled"));
        });
  }

  private static List<Stream> edgeCases() {
    List<Stream> streams = new ArrayList<>();
    for (String text :
        List.of(
            "",
            "\r\n",
            "\n",
            "\r",
            " ",
            "\0",
            "GET / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: origin.example\r\n\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")) {
      byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
      streams.add(new Stream(bytes, List.of()));
      streams.add(new Stream(bytes, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)));
    }
    return streams;
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

  private static String ambiguous(
      String method, String version, String te, String cl, boolean clFirst, String sep) {
    String teLine = "Transfer-Encoding" + sep + te + "\r\n";
    String clLine = "Content-Length: " + cl + "\r\n";
    return method
        + " http://origin.example/upload "
        + version
        + "\r\nHost: origin.example\r\n"
        + (clFirst ? clLine + teLine : teLine + clLine)
        + "\r\n0\r\n\r\n";
  }

  private static Gen<String> ambiguousRequests() {
    Gen<String> chunked =
        of(
            "chunked",
            "Chunked",
            "CHUNKED",
            " chunked",
            "chunked ",
            "gzip, chunked",
            "identity,chunked",
            "\tchunked");
    Gen<String> length = of("5", "0", "12", " 5", "05", "5, 5");
    Gen<String> version = of("HTTP/1.1", "HTTP/1.0", "http/1.1", "HTTP/1.2", "Http/1.0");
    Gen<String> method = of("POST", "GET", "PUT");
    Gen<Boolean> lengthFirst = booleans();
    Gen<String> fold = of(": ", ":", ":\r\n ");
    return random ->
        ambiguous(
            method.apply(random),
            version.apply(random),
            chunked.apply(random),
            length.apply(random),
            lengthFirst.apply(random),
            fold.apply(random));
  }

  private static Gen<byte[]> streams() {
    Gen<byte[]> requests =
        requests()
            .list(1, 3)
            .map(list -> String.join("", list))
            .map(text -> text.getBytes(StandardCharsets.ISO_8859_1));
    return oneOf(
        requests,
        mutated(requests),
        mutated(mutated(requests)),
        bytes(0, 200),
        random -> Fuzz.concat(requests.apply(random), bytes(0, 64).apply(random)));
  }

  private static Gen<String> requests() {
    Gen<String> methods = of("GET", "POST", "CONNECT", "HEAD", "PUT", "G ET", "", "GET\0");
    Gen<String> targets =
        of(
            "/",
            "/file.iso?x=1",
            "http://origin.example/a",
            "origin.example:443",
            "/a\u0001b",
            "/\u00ff",
            "*",
            "/" + "a".repeat(9000));
    Gen<String> versions = of("HTTP/1.1", "HTTP/1.0", "http/1.1", "HTTP/1.2", "HTTP/2.0", "");
    Gen<String> eol = of("\r\n", "\r\n", "\r\n", "\n", "\r");
    Gen<String> line =
        random ->
            methods.apply(random)
                + " "
                + targets.apply(random)
                + " "
                + versions.apply(random)
                + eol.apply(random);
    Gen<String> names =
        of(
            "Host",
            "Content-Length",
            "Transfer-Encoding",
            "Connection",
            "X-A",
            "Host ",
            " Host",
            "Ho\0st",
            "Expect");
    Gen<String> separators = of(": ", ":", ":\r\n ", ":\t");
    Gen<String> values =
        of(
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
            "x".repeat(17_000));
    Gen<String> header =
        random ->
            names.apply(random)
                + separators.apply(random)
                + values.apply(random)
                + eol.apply(random);
    Gen<String> body =
        of(
            "",
            "abc",
            "3\r\nabc\r\n0\r\n\r\n",
            "3;ext=1\r\nabc\r\n0\r\nTrailer: t\r\n\r\n",
            "fffffffffffffffff\r\n",
            "-1\r\n",
            "0\r\n\r\n");
    Gen<List<String>> headers = header.list(0, 5);
    return random ->
        line.apply(random)
            + String.join("", headers.apply(random))
            + eol.apply(random)
            + body.apply(random);
  }

  /** {@code bytes} with a bit flipped, a byte inserted or replaced, or cut short. */
  static Gen<byte[]> mutated(Gen<byte[]> bytes) {
    return Fuzz.mutatedBytes(
        bytes,
        List.of(
            new byte[] {0},
            new byte[] {'\r'},
            new byte[] {'\n'},
            new byte[] {' '},
            new byte[] {':'},
            new byte[] {(byte) 0xff}));
  }
}
