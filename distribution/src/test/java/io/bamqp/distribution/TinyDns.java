package io.bamqp.distribution;

import io.bamqp.testbed.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS server on 127.0.0.1 (UDP, an ephemeral port) that answers every query with one A record,
 * 127.0.0.1, and counts the queries: enough for a node's {@code wan.dnsServers} (the JDK's JNDI DNS
 * client, module {@code jdk.naming.dns}) to find a test origin by name.
 */
final class TinyDns implements AutoCloseable {
  private final DatagramSocket socket;
  private final AtomicInteger queries = new AtomicInteger();

  private TinyDns(Vertx vertx) {
    socket = vertx.createDatagramSocket();
    socket.handler(
        packet -> {
          Buffer answer = answer(packet.data());
          if (answer != null) {
            queries.incrementAndGet();
            socket.send(answer, packet.sender().port(), packet.sender().host());
          }
        });
  }

  static TinyDns start(Vertx vertx) {
    TinyDns dns = new TinyDns(vertx);
    Await.result(dns.socket.listen(0, "127.0.0.1"));
    return dns;
  }

  int port() {
    return socket.localAddress().port();
  }

  /** The queries answered so far. */
  int queries() {
    return queries.get();
  }

  /**
   * The response to one query: its ID and question, then one A record (a name pointer to the
   * question, class IN, TTL 60 s, 127.0.0.1); null for a packet that is no single-question query.
   */
  private static Buffer answer(Buffer query) {
    if (query.length() < 12 || (query.getByte(2) & 0x80) != 0 || query.getUnsignedShort(4) != 1) {
      return null;
    }
    int end = 12;
    while (end < query.length() && query.getUnsignedByte(end) != 0) {
      end += query.getUnsignedByte(end) + 1;
    }
    end += 5; // the root label, QTYPE and QCLASS
    if (end > query.length()) {
      return null;
    }
    return Buffer.buffer()
        .appendShort(query.getShort(0)) // ID
        .appendUnsignedShort(0x8180) // a response, recursion desired and available, NOERROR
        .appendUnsignedShort(1) // QDCOUNT
        .appendUnsignedShort(1) // ANCOUNT
        .appendUnsignedShort(0) // NSCOUNT
        .appendUnsignedShort(0) // ARCOUNT
        .appendBuffer(query.getBuffer(12, end))
        .appendUnsignedShort(0xC00C) // the name: a pointer to the question's
        .appendUnsignedShort(1) // TYPE A
        .appendUnsignedShort(1) // CLASS IN
        .appendInt(60) // TTL
        .appendUnsignedShort(4)
        .appendBytes(new byte[] {127, 0, 0, 1});
  }

  @Override
  public void close() {
    Await.result(socket.close());
  }
}
