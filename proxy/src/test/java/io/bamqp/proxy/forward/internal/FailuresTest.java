package io.bamqp.proxy.forward.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class FailuresTest {
  private final Failures failures = new Failures(Duration.ofSeconds(10), Duration.ofMillis(1500));

  @Test
  void upstreamFailuresMapToBadGatewayOrGatewayTimeoutWithAReason() {
    assertFailure(
        new ConnectException("refused"), 502, "origin o:80 is unreachable (connection refused)");
    assertFailure(new UnknownHostException("o"), 502, "origin host of o:80 could not be resolved");
    assertFailure(
        new ConnectTimeoutException("slow"),
        504,
        "origin o:80 did not accept a connection within 10 s");
    assertFailure(new TimeoutException("idle"), 504, "origin o:80 sent nothing for 1500 ms");
    assertFailure(
        new HttpClosedException("closed"),
        502,
        "origin o:80 closed the connection before answering");
    assertFailure(
        new IllegalStateException("bad header"), 502, "origin o:80 sent a malformed response");
  }

  @Test
  void aRefusedOriginCertificateIsNamedWithTheCheckThatRefusedIt() {
    assertFailure(
        new SSLHandshakeException(
            "PKIX path building failed: unable to find valid certification path to requested"
                + " target"),
        502,
        "TLS to origin o:80 failed: its certificate is not issued by a trusted CA"
            + " (a private CA's PEM file goes in security.originCaFiles)");
    assertFailure(
        new SSLHandshakeException("No subject alternative DNS name matching o found."),
        502,
        "TLS to origin o:80 failed: its certificate does not name this host");
    assertFailure(
        new SSLHandshakeException("PKIX path validation failed")
            .initCause(new CertificateExpiredException("NotAfter: yesterday")),
        502,
        "TLS to origin o:80 failed: its certificate has expired or is not yet valid");
    assertFailure(
        new SSLHandshakeException("Received fatal alert: handshake_failure"),
        502,
        "TLS to origin o:80 failed: Received fatal alert: handshake_failure");
  }

  @Test
  void aProxyFailurePassesThroughUnchanged() {
    ProxyFailure refusal = ProxyFailure.of(403, "no");
    assertThat(failures.upstream(refusal, "o:80")).isSameAs(refusal);
  }

  @Test
  void reasonPhrasesIncludeLoopDetected() {
    assertThat(ProxyFailure.reasonPhrase(508)).isEqualTo("Loop Detected");
    assertThat(ProxyFailure.reasonPhrase(431)).isEqualTo("Request Header Fields Too Large");
  }

  private void assertFailure(Throwable cause, int status, String reason) {
    ProxyFailure failure = failures.upstream(cause, "o:80");
    assertThat(failure.status()).isEqualTo(status);
    assertThat(failure.getMessage()).isEqualTo(reason);
  }
}
