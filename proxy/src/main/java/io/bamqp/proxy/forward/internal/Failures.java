package io.bamqp.proxy.forward.internal;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Maps what went wrong upstream to the status and one-line reason the client sees. */
final class Failures {
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
    if (cause instanceof javax.net.ssl.SSLException
        || cause.getCause() instanceof javax.net.ssl.SSLException) {
      return ProxyFailure.of(
          502, "TLS to origin " + target + " failed (certificate or host name not verified)");
    }
    if (cause instanceof HttpClosedException || cause instanceof StreamResetException) {
      return ProxyFailure.of(502, "origin " + target + " closed the connection before answering");
    }
    return ProxyFailure.of(502, "origin " + target + " sent a malformed response");
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }
}
