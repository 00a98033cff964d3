package io.bamqp.peer;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;
import java.net.SocketAddress;
import java.util.concurrent.ThreadFactory;

/**
 * A Vert.x transport that is {@code base} in everything but one: its client connections read into
 * buffers that adapt up to {@code maxReadBytes} instead of Netty's 64 KiB, so that a {@link
 * ReadBatching} batch is one read. Netty fixes a channel's read-buffer policy at its first read, so
 * it is set as the connection is made. A client that sets its own receive buffer size keeps
 * Vert.x's fixed buffer of that size.
 */
final class LargeReadsTransport implements Transport {
  private final Transport base;
  private final Spi spi;

  LargeReadsTransport(Transport base, int maxReadBytes) {
    this.base = base;
    this.spi = new Spi(base.implementation(), maxReadBytes);
  }

  @Override
  public String name() {
    return base.name();
  }

  @Override
  public boolean available() {
    return base.available();
  }

  @Override
  public Throwable unavailabilityCause() {
    return base.unavailabilityCause();
  }

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    return spi;
  }

  /** The implementation: every call is the base's, and client bootstraps get the allocator. */
  private record Spi(io.vertx.core.spi.transport.Transport base, int maxReadBytes)
      implements io.vertx.core.spi.transport.Transport {

    @Override
    public void configure(
        ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
      base.configure(options, connectTimeout, domainSocket, bootstrap);
      if (options.getReceiveBufferSize() == -1) {
        bootstrap.option(
            ChannelOption.RCVBUF_ALLOCATOR,
            new AdaptiveRecvByteBufAllocator(
                AdaptiveRecvByteBufAllocator.DEFAULT_MINIMUM,
                AdaptiveRecvByteBufAllocator.DEFAULT_INITIAL,
                maxReadBytes));
      }
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap b) {
      base.configure(options, domainSocket, b);
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
      base.configure(channel, options);
    }

    @Override
    public boolean supportsDomainSockets() {
      return base.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
      return base.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
      return base.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
      return base.unavailabilityCause();
    }

    @Override
    public SocketAddress convert(io.vertx.core.net.SocketAddress address) {
      return base.convert(address);
    }

    @Override
    public io.vertx.core.net.SocketAddress convert(SocketAddress address) {
      return base.convert(address);
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
      return base.ioHandlerFactory();
    }

    @Override
    public EventLoopGroup eventLoopGroup(
        int type, int threads, ThreadFactory threadFactory, int ioRatio) {
      return base.eventLoopGroup(type, threads, threadFactory, ioRatio);
    }

    @Override
    public DatagramChannel datagramChannel() {
      return base.datagramChannel();
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
      return base.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
      return base.channelFactory(domainSocket);
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
      return base.serverChannelFactory(domainSocket);
    }
  }
}
