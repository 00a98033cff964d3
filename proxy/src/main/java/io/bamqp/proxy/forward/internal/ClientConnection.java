package io.bamqp.proxy.forward.internal;

import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client connection as the front door sees it: its {@link ClientSlots slot} (or why it has
 * none), the deadline on each request head, and whether it is idle.
 *
 * <p>The head deadline ({@code proxy.headerTimeout}) runs for the first request from the accept,
 * for each later one from the first byte of its head, until the head is complete. On expiry a
 * connection that sent part of a head is answered 408 and closed; one that sent nothing, or has a
 * response still in flight, is closed. Between requests a kept-alive connection is idle: its wait
 * is bounded by {@code proxy.idleTimeout}, and it is the first to be shed when slots run out.
 *
 * <p>Confined to the connection's event loop: the decoder's callbacks, Vert.x's handlers and the
 * deadline timer all run there.
 */
final class ClientConnection implements StrictRequestDecoder.HeadWatch {
  private final HttpConnection connection;
  private final ClientSlots slots;
  private final ClientSlots.Admission admission;
  private final Duration headTimeout;
  private final Thread loop = Thread.currentThread();
  private ScheduledFuture<?> deadline;
  private boolean headBytes;
  private int heads;
  private int answered;

  ClientConnection(
      HttpConnection connection,
      ClientSlots slots,
      ClientSlots.Admission admission,
      Duration headTimeout) {
    this.connection = connection;
    this.slots = slots;
    this.admission = admission;
    this.headTimeout = headTimeout;
  }

  /** The event loop this connection lives on (it was accepted there). */
  Thread loop() {
    return loop;
  }

  /** Why this connection got no slot; null if it has one. */
  String refusal() {
    return admission.refusal();
  }

  /** The connection was just accepted: its first head is due within the deadline. */
  void accepted() {
    arm();
  }

  @Override
  public void headStarted() {
    headBytes = true;
    if (admission.slot() != null) {
      slots.busy(admission.slot());
    }
    if (deadline == null) {
      arm();
    }
  }

  @Override
  public void headEnded() {
    headBytes = false;
    heads++;
    disarm();
  }

  /** A response ended: with nothing more in flight or arriving, the connection is idle. */
  void responseEnded() {
    answered++;
    if (answered == heads && !headBytes && admission.slot() != null) {
      slots.idle(admission.slot());
    }
  }

  /** The connection closed: its deadline is moot and its slot free. */
  void closed() {
    disarm();
    if (admission.slot() != null) {
      slots.release(admission.slot());
    }
  }

  private void arm() {
    deadline =
        StrictRequestDecoder.loopOf(connection)
            .schedule(this::expired, headTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void disarm() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  private void expired() {
    deadline = null;
    if (!headBytes || answered < heads) {
      connection.close();
      return;
    }
    StrictRequestDecoder.answerAndClose(
        connection,
        ProxyFailure.closing(
                408,
                "request head not received within proxy.headerTimeout ("
                    + (headTimeout.toMillis() % 1000 == 0
                        ? headTimeout.toSeconds() + "s"
                        : headTimeout.toMillis() + "ms")
                    + ")")
            .asRawResponse());
  }
}
