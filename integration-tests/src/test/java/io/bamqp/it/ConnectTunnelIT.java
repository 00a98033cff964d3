package io.bamqp.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.testbed.Await;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CONNECT tunnels: TLS passes through untouched, and only to the allowed ports. */
class ConnectTunnelIT {
  private final Vertx vertx = Vertx.vertx();
  private NetServer tlsEcho;

  @BeforeEach
  void startTlsEchoServer() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    tlsEcho =
        Await.result(
            vertx
                .createNetServer(
                    new NetServerOptions()
                        .setSsl(true)
                        .setKeyCertOptions(certificate.keyCertOptions()))
                .connectHandler(socket -> socket.pipeTo(socket))
                .listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    Await.result(vertx.close());
  }

  @Test
  void tunnelRelaysTlsBytesBothWaysUnchanged() throws Exception {
    byte[] payload = new byte[1024 * 1024];
    new Random(11).nextBytes(payload);
    try (ProxyNode proxy =
            ProxyNode.start(vertx, "connectPorts: [443, " + tlsEcho.actualPort() + "]");
        Socket socket = new Socket("127.0.0.1", proxy.port())) {
      socket.setSoTimeout(20_000);
      String head = connect(socket, "localhost:" + tlsEcho.actualPort());
      assertThat(head).startsWith("HTTP/1.1 200");

      SSLSocket tls = trustingAnyCertificate(socket);
      tls.startHandshake();
      OutputStream out = tls.getOutputStream();
      Thread writer =
          new Thread(
              () -> {
                try {
                  out.write(payload);
                  out.flush();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      writer.start();
      byte[] echoed = new byte[payload.length];
      new DataInputStream(tls.getInputStream()).readFully(echoed);
      writer.join(20_000);

      assertThat(echoed).isEqualTo(payload);
    }
  }

  @Test
  void connectToAPortOutsideTheListIsRefusedWith403() throws Exception {
    try (ProxyNode proxy = ProxyNode.start(vertx, "")) {
      RawHttp.Reply reply =
          RawHttp.exchange(
              proxy.port(),
              "CONNECT 127.0.0.1:" + tlsEcho.actualPort() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

      assertThat(reply.status()).isEqualTo(403);
      assertThat(reply.body()).contains("proxy.connectPorts: [443]");
    }
  }

  @Test
  void connectToAClosedPortGets502() throws Exception {
    int closedPort = ScriptedOrigin.closedPort();
    try (ProxyNode proxy = ProxyNode.start(vertx, "connectPorts: [" + closedPort + "]")) {
      RawHttp.Reply reply =
          RawHttp.exchange(
              proxy.port(),
              "CONNECT 127.0.0.1:" + closedPort + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

      assertThat(reply.status()).isEqualTo(502);
      assertThat(reply.body()).contains("unreachable");
    }
  }

  private static String connect(Socket socket, String authority) throws Exception {
    socket
        .getOutputStream()
        .write(
            ("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int b = socket.getInputStream().read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }

  private static SSLSocket trustingAnyCertificate(Socket tunnel) throws Exception {
    TrustManager trustAll =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
    return (SSLSocket)
        context.getSocketFactory().createSocket(tunnel, "localhost", tunnel.getPort(), true);
  }
}
