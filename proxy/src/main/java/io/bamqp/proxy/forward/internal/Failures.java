package io.bamqp.proxy.forward.internal;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Maps what went wrong upstream to the status and one-line reason the client sees. */
final class Failures {
  /** Longest piece of a TLS exception's own message quoted to the client. */
  private static final int MAX_DETAIL = 160;

  private final Duration connectTimeout;
  private final Duration originTimeout;

  Failures(Duration connectTimeout, Duration originTimeout) {
    this.connectTimeout = connectTimeout;
    this.originTimeout = originTimeout;
  }

  /** {@code cause} raised while reaching {@code target}, as the response the client gets. */
  ProxyFailure upstream(Throwable cause, String target) {
    if (cause instanceof ProxyFailure failure) {
      return failure;
    }
    if (cause instanceof ConnectTimeoutException) {
      return ProxyFailure.of(
          504,
          "origin " + target + " did not accept a connection within " + seconds(connectTimeout));
    }
    if (cause instanceof TimeoutException || cause.getClass().getSimpleName().contains("Timeout")) {
      return ProxyFailure.of(
          504, "origin " + target + " sent nothing for " + seconds(originTimeout));
    }
    if (cause instanceof UnknownHostException) {
      return ProxyFailure.of(502, "origin host of " + target + " could not be resolved");
    }
    if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
      return ProxyFailure.of(502, "origin " + target + " is unreachable (connection refused)");
    }
    if (cause instanceof SSLException || cause.getCause() instanceof SSLException) {
      return ProxyFailure.of(502, "TLS to origin " + target + " failed: " + tlsProblem(cause));
    }
    if (cause instanceof HttpClosedException || cause instanceof StreamResetException) {
      return ProxyFailure.of(502, "origin " + target + " closed the connection before answering");
    }
    return ProxyFailure.of(502, "origin " + target + " sent a malformed response");
  }

  /** Which check refused the origin's certificate, in words, from the JDK's exception chain. */
  private static String tlsProblem(Throwable cause) {
    StringBuilder messages = new StringBuilder();
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CertificateExpiredException
          || t instanceof CertificateNotYetValidException) {
        return "its certificate has expired or is not yet valid";
      }
      messages.append(' ').append(t.getMessage());
    }
    String said = messages.toString();
    if (said.contains("No subject alternative") || said.contains("No name matching")) {
      return "its certificate does not name this host";
    }
    if (said.contains("PKIX path building failed")
        || said.contains("unable to find valid certification path")) {
      return "its certificate is not issued by a trusted CA"
          + " (a private CA's PEM file goes in security.originCaFiles)";
    }
    if (said.contains("validity check failed")) {
      return "its certificate has expired or is not yet valid";
    }
    String first = String.valueOf(cause.getMessage()).replaceAll("\\s+", " ").trim();
    return first.length() > MAX_DETAIL ? first.substring(0, MAX_DETAIL) + "..." : first;
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }
}
