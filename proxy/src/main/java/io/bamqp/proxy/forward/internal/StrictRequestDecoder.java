package io.bamqp.proxy.forward.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Vert.x's HTTP/1 request decoder, made strict about framing: a request carrying both {@code
 * Transfer-Encoding: chunked} and {@code Content-Length} is marked as undecodable instead of being
 * resolved the RFC's way (chunked wins, the length is dropped), whatever HTTP version it claims.
 * Vert.x answers an undecodable request through the server's invalid-request handler and then
 * closes the connection without handling any request pipelined behind it (RFC 9112 §6.3 lets a
 * server refuse such a request); the decoder itself reads nothing more from that connection, so
 * neither the request nor what follows it ever reaches an origin.
 *
 * <p>It also tells a {@link HeadWatch} where each request head begins and ends, which no Vert.x
 * handler sees: the deadline on a whole request head ({@code proxy.headerTimeout}) runs between the
 * two.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {
  /** The name Vert.x gives its request decoder in an HTTP/1 server pipeline. */
  private static final String DECODER_NAME = "httpDecoder";

  /** Why a request was marked undecodable; the invalid-request handler answers it with 400. */
  static final class AmbiguousFraming extends IllegalArgumentException {
    AmbiguousFraming() {
      super("request has both Transfer-Encoding and Content-Length");
    }
  }

  /** Hears where request heads begin and end; called on the connection's event loop. */
  interface HeadWatch {
    /** Hears nothing. */
    HeadWatch NONE =
        new HeadWatch() {
          @Override
          public void headStarted() {}

          @Override
          public void headEnded() {}
        };

    /** The first byte of a request head arrived (after the previous request's last byte). */
    void headStarted();

    /** The head is complete (decoded, or found undecodable): the request goes to Vert.x. */
    void headEnded();
  }

  private final HeadWatch watch;

  /** Set once a request is refused: every later byte on the connection is discarded unread. */
  private boolean refused;

  /** Bytes of a request head arrived and the head is not complete yet. */
  private boolean inHead;

  /** A request's head is complete and its body is not: what arrives belongs to the body. */
  private boolean inBody;

  /** A decoder that tells nobody where heads begin and end, for tests of its framing alone. */
  StrictRequestDecoder(HttpServerOptions options) {
    this(options, HeadWatch.NONE);
  }

  private StrictRequestDecoder(HttpServerOptions options, HeadWatch watch) {
    super(options);
    this.watch = watch;
  }

  /**
   * Puts a strict decoder in place of Vert.x's on a new HTTP/1 connection. Called from the server's
   * connection handler, which Vert.x runs while it builds the pipeline, before the first byte is
   * read, so the replaced decoder holds nothing yet.
   *
   * @return whether the connection is now strict (false for a connection of unknown kind)
   */
  static boolean install(HttpConnection connection, HttpServerOptions options, HeadWatch watch) {
    if (!(connection instanceof ConnectionBase base)) {
      return false;
    }
    ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
    if (!(pipeline.get(DECODER_NAME) instanceof VertxHttpRequestDecoder)) {
      return false;
    }
    pipeline.replace(DECODER_NAME, DECODER_NAME, new StrictRequestDecoder(options, watch));
    return true;
  }

  /** The event loop of {@code connection}'s channel, where its decoder and timers run. */
  static EventExecutor loopOf(HttpConnection connection) {
    return ((ConnectionBase) connection).channelHandlerContext().executor();
  }

  /**
   * Writes {@code response} (a whole HTTP/1.1 response, head and body) on a connection that has no
   * request in flight, then closes it; nothing more it sends is decoded. For answers Vert.x cannot
   * write because no request reached it: a head that did not arrive in time. Call it on the
   * connection's event loop.
   */
  static void answerAndClose(HttpConnection connection, String response) {
    ChannelHandlerContext decoder =
        ((ConnectionBase) connection).channelHandlerContext().pipeline().context(DECODER_NAME);
    if (decoder == null || !(decoder.handler() instanceof StrictRequestDecoder strict)) {
      connection.close();
      return;
    }
    strict.refused = true;
    // Written from the decoder's place in the pipeline: the bytes pass no HTTP encoder, whose
    // state belongs to Vert.x's responses.
    decoder
        .writeAndFlush(Unpooled.copiedBuffer(response, StandardCharsets.UTF_8))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out)
      throws Exception {
    if (refused) {
      // The refused request's body and anything pipelined behind it: never decoded, so Vert.x
      // cannot hand a smuggled request to the proxy before the connection closes.
      in.skipBytes(in.readableBytes());
      return;
    }
    if (!inHead && !inBody && in.isReadable()) {
      inHead = true;
      watch.headStarted();
    }
    int before = out.size();
    super.decode(context, in, out);
    for (int i = before; i < out.size(); i++) {
      Object part = out.get(i);
      // Netty asks handleTransferEncodingChunkedWithContentLength only for the HTTP/1.1 constant
      // (compared by identity): a request line saying HTTP/1.0, http/1.1 or HTTP/1.2 arrives here
      // with both headers and chunked framing. The decoder returns right after such a head, before
      // reading any of its body, so refusing it here is as early as the hook.
      if (!refused
          && part instanceof HttpMessage message
          && message.decoderResult().isSuccess()
          && message.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
          && HttpUtil.isTransferEncodingChunked(message)) {
        refuse(message);
      }
      if (part instanceof HttpRequest) {
        inHead = false;
        inBody = true;
        watch.headEnded();
      }
      if (part instanceof LastHttpContent) {
        inBody = false;
      }
    }
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    super.handleTransferEncodingChunkedWithContentLength(message);
    refuse(message);
  }

  private void refuse(HttpMessage message) {
    refused = true;
    message.setDecoderResult(DecoderResult.failure(new AmbiguousFraming()));
  }
}
