package io.bamqp.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;

/**
 * A raw jmdns responder on 127.0.0.1 announcing whatever a test wants under the bamqp service type:
 * a spoofer, or a broken implementation.
 */
final class ForeignAnnouncer implements AutoCloseable {
  private final JmDNS jmdns;

  ForeignAnnouncer(String hostName) throws IOException {
    jmdns = JmDNS.create(InetAddress.getLoopbackAddress(), hostName);
  }

  ForeignAnnouncer announce(String instance, int port, Map<String, String> txt) throws IOException {
    jmdns.registerService(ServiceInfo.create(Discovery.SERVICE_TYPE, instance, port, 0, 0, txt));
    return this;
  }

  @Override
  public void close() throws IOException {
    jmdns.unregisterAllServices();
    jmdns.close();
  }
}
