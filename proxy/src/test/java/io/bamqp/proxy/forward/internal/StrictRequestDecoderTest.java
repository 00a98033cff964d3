package io.bamqp.proxy.forward.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.vertx.core.http.HttpServerOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictRequestDecoderTest {

  @ParameterizedTest
  @ValueSource(strings = {"HTTP/1.1", "HTTP/1.0", "http/1.1", "HTTP/1.2"})
  void lengthAndChunkedTogetherAreRefusedInEveryVersionAndWhatFollowsIsNeverDecoded(
      String version) {
    List<HttpRequest> requests =
        decode(
            "POST http://origin.example/upload "
                + version
                + "\r\nHost: origin.example\r\nContent-Length: 5\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                + "GET /smuggled HTTP/1.1\r\nHost: origin.example\r\n\r\n");

    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).decoderResult().cause())
        .isInstanceOf(StrictRequestDecoder.AmbiguousFraming.class);
  }

  @Test
  void pipelinedRequestsWithOneFramingEachAreAllDecoded() {
    List<HttpRequest> requests =
        decode(
            "POST /a HTTP/1.0\r\nHost: o\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                + "POST /b HTTP/1.1\r\nHost: o\r\nContent-Length: 3\r\n\r\nabc"
                + "GET /c HTTP/1.1\r\nHost: o\r\n\r\n");

    assertThat(requests).extracting(HttpRequest::uri).containsExactly("/a", "/b", "/c");
    assertThat(requests).allMatch(request -> request.decoderResult().isSuccess());
  }

  private static List<HttpRequest> decode(String bytes) {
    EmbeddedChannel channel =
        new EmbeddedChannel(new StrictRequestDecoder(new HttpServerOptions()));
    channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    List<HttpRequest> requests = new ArrayList<>();
    for (Object next = channel.readInbound(); next != null; next = channel.readInbound()) {
      if (next instanceof HttpRequest request) {
        requests.add(request);
      } else if (next instanceof HttpContent content) {
        content.release();
      }
    }
    channel.finishAndReleaseAll();
    return requests;
  }
}
