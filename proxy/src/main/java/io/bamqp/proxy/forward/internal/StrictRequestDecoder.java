package io.bamqp.proxy.forward.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.List;

/**
 * Vert.x's HTTP/1 request decoder, made strict about framing: a request carrying both {@code
 * Transfer-Encoding: chunked} and {@code Content-Length} is marked as undecodable instead of being
 * resolved the RFC's way (chunked wins, the length is dropped), whatever HTTP version it claims.
 * Vert.x answers an undecodable request through the server's invalid-request handler and then
 * closes the connection without handling any request pipelined behind it (RFC 9112 §6.3 lets a
 * server refuse such a request); the decoder itself reads nothing more from that connection, so
 * neither the request nor what follows it ever reaches an origin.
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

  /** Set once a request is refused: every later byte on the connection is discarded unread. */
  private boolean refused;

  StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  /**
   * Puts a strict decoder in place of Vert.x's on a new HTTP/1 connection. Called from the server's
   * connection handler, which Vert.x runs while it builds the pipeline, before the first byte is
   * read, so the replaced decoder holds nothing yet.
   *
   * @return whether the connection is now strict (false for a connection of unknown kind)
   */
  static boolean install(HttpConnection connection, HttpServerOptions options) {
    if (!(connection instanceof ConnectionBase base)) {
      return false;
    }
    ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
    if (!(pipeline.get(DECODER_NAME) instanceof VertxHttpRequestDecoder)) {
      return false;
    }
    pipeline.replace(DECODER_NAME, DECODER_NAME, new StrictRequestDecoder(options));
    return true;
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
    int before = out.size();
    super.decode(context, in, out);
    // Netty asks handleTransferEncodingChunkedWithContentLength only for the HTTP/1.1 constant
    // (compared by identity): a request line saying HTTP/1.0, http/1.1 or HTTP/1.2 arrives here
    // with both headers and chunked framing. The decoder returns right after such a head, before
    // reading any of its body, so refusing it here is as early as the hook.
    for (int i = before; i < out.size() && !refused; i++) {
      if (out.get(i) instanceof HttpMessage message
          && message.decoderResult().isSuccess()
          && message.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
          && HttpUtil.isTransferEncodingChunked(message)) {
        refuse(message);
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
