package io.meshwarden.demo.workloads;

import io.grpc.ManagedChannel;
import io.grpc.Attributes;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Sockets of the simulated pods: servers listen on their pod's loopback address only, and callers
 * connect from theirs, so that every connection's source address names the calling workload. One
 * small NIO event loop group serves every pod (the demo shares two cores with the control plane).
 * Owns the group; {@link #close} shuts it down.
 */
final class Transport implements AutoCloseable {
  private final EventLoopGroup loop = new NioEventLoopGroup(2, new DefaultThreadFactory("meshwarden-demo-io", true));

  /**
   * A server channel that binds its pod's address: grpc-xds listens on {@code 0.0.0.0:port} (the
   * address its Listener must name), which would let two pods of the same port (frontend and
   * emailservice both serve 8080) collide and would expose the demo beyond this machine.
   */
  static final class PodServerChannel extends NioServerSocketChannel {
    private final String address;

    PodServerChannel(String address) {
      this.address = address;
    }

    @Override
    protected void doBind(SocketAddress requested) throws Exception {
      super.doBind(new InetSocketAddress(address, ((InetSocketAddress) requested).getPort()));
    }
  }

  /** Makes {@code server} listen on {@code address} (the port stays the one it was built for). */
  void bind(NettyServerBuilder server, String address) {
    server.channelFactory(() -> new PodServerChannel(address)).bossEventLoopGroup(loop).workerEventLoopGroup(loop);
  }

  /** A plaintext channel from {@code from}'s address to {@code to}'s server, with the authority of its Service. */
  ManagedChannel channel(DemoPod from, DemoPod to) {
    return NettyChannelBuilder.forAddress(new InetSocketAddress(to.address(), to.port()))
        .overrideAuthority(to.authority())
        .usePlaintext()
        .channelType(NioSocketChannel.class)
        .eventLoopGroup(loop)
        .localSocketPicker(new NettyChannelBuilder.LocalSocketPicker() {
          @Override
          public SocketAddress createSocketAddress(SocketAddress remote, Attributes attrs) {
            return new InetSocketAddress(from.address(), 0);
          }
        })
        .build();
  }

  /** A plaintext channel to the control plane ({@code host:port}). */
  ManagedChannel controlPlane(InetSocketAddress target) {
    return NettyChannelBuilder.forAddress(target).usePlaintext().channelType(NioSocketChannel.class)
        .eventLoopGroup(loop).build();
  }

  @Override
  public void close() {
    loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }
}
