package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Plain JSSE sockets on loopback: what SunJSSE really negotiates with these managers. */
@Timeout(30)
class PeerTlsTest {
  private static final int DEADLINE_MILLIS = 10_000;
  private static final Identity HOME = Identity.generate();
  private static final Identity HELPER = Identity.generate();

  private final List<CertificateException> refusals = new CopyOnWriteArrayList<>();

  @Test
  void trustedPeersShakeHandsOverTls13AndLearnEachOthersIds() throws Exception {
    Handshake done = handshake(TrustedPeers.of(Set.of(HOME.id())), HELPER.id());

    assertThat(done.protocol()).isEqualTo("TLSv1.3");
    assertThat(done.helperSawHome()).isEqualTo(HOME.id());
    assertThat(done.homeSawHelper()).isEqualTo(HELPER.id());
  }

  @Test
  void aHelperRefusesAHomeNotInItsTrustedSetNamingIt() {
    TrustedPeers trusted = TrustedPeers.of(Set.of(Identity.generate().id()));

    assertThatThrownBy(() -> handshake(trusted, HELPER.id())).isInstanceOf(Exception.class);
    assertThat(refusals)
        .singleElement()
        .extracting(Throwable::getMessage)
        .isEqualTo("refused peer " + HOME.id() + ": not in peer.trusted");
  }

  @Test
  void aHomeRefusesAHelperThatIsNotThePinnedId() {
    PeerId someoneElse = Identity.generate().id();

    Throwable failure =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> handshake(TrustedPeers.of(Set.of(HOME.id())), someoneElse));

    assertThat(failure).isNotNull();
    assertThat(causes(failure)).anyMatch(m -> m.contains("refused peer " + HELPER.id()));
  }

  @Test
  void aReplacedTrustedSetDecidesTheNextHandshake() throws Exception {
    TrustedPeers trusted = TrustedPeers.of(Set.of());
    assertThatThrownBy(() -> handshake(trusted, HELPER.id())).isInstanceOf(Exception.class);

    trusted.replace(Set.of(HOME.id()));

    assertThat(handshake(trusted, HELPER.id()).helperSawHome()).isEqualTo(HOME.id());
  }

  private record Handshake(String protocol, PeerId helperSawHome, PeerId homeSawHelper) {}

  private Handshake handshake(TrustedPeers trusted, PeerId pinned) throws Exception {
    SSLContext helperTls = PeerTls.context(HELPER, PeerTls.trusting(trusted, refusals::add));
    TrustManager pin = PeerTls.pinned(pinned);
    SSLContext homeTls = PeerTls.context(HOME, pin);
    try (SSLServerSocket server =
        (SSLServerSocket)
            helperTls
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      server.setNeedClientAuth(true);
      server.setEnabledProtocols(new String[] {PeerTls.PROTOCOL});
      server.setSoTimeout(DEADLINE_MILLIS);
      CompletableFuture<PeerId> helperSide =
          CompletableFuture.supplyAsync(
              () -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                  accepted.setSoTimeout(DEADLINE_MILLIS);
                  accepted.startHandshake();
                  PeerKey home = PeerTls.peerOf(accepted.getSession());
                  if (PeerTls.peerOf(accepted.getSession()) != home) {
                    throw new IllegalStateException("the session did not keep its peer's key");
                  }
                  accepted.getOutputStream().write(1);
                  accepted.getOutputStream().flush();
                  return home.id();
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      String protocol;
      PeerId helper;
      try (SSLSocket client =
          (SSLSocket)
              homeTls
                  .getSocketFactory()
                  .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        client.setSoTimeout(DEADLINE_MILLIS);
        client.setEnabledProtocols(new String[] {PeerTls.PROTOCOL});
        client.startHandshake();
        // TLS 1.3: the server checks the client's certificate after the client's handshake ends;
        // reading its first byte proves it accepted.
        if (client.getInputStream().read() != 1) {
          throw new SSLException("the helper closed the connection");
        }
        helper = PeerTls.peerOf(client.getSession()).id();
        protocol = client.getSession().getProtocol();
      } catch (IOException e) {
        try {
          helperSide.get(DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException ignored) {
          // the client's failure is the one reported
        }
        throw e;
      }
      return new Handshake(
          protocol, helperSide.get(DEADLINE_MILLIS, TimeUnit.MILLISECONDS), helper);
    }
  }

  private static List<String> causes(Throwable failure) {
    List<String> messages = new java.util.ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.add(String.valueOf(t.getMessage()));
    }
    return messages;
  }
}
