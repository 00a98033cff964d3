package io.bamqp.proxy.aggregation;

import io.bamqp.planner.ByteRange;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Decides when the client may get its last byte. With a {@link ReprDigest} or {@link SpotChecks} at
 * work, the last buffer of the body (the tail) is held back until every spot check has answered and
 * the digest matches: a failed check must leave the body incomplete, and only a body short of its
 * {@code Content-Length} tells the client so. Without checks nothing is held.
 *
 * <p>Confined to the session's event loop.
 */
final class EndGate {
  private final long size;
  private ReprDigest digest;
  private SpotChecks spotChecks;
  private Buffer tail;

  /**
   * @param size the bytes the client gets
   */
  EndGate(long size) {
    this.size = size;
  }

  /** Checks every byte the client gets against the origin's digest. */
  EndGate verifying(ReprDigest digest) {
    this.digest = digest;
    return this;
  }

  /** Waits for these spot checks of the neighbors' bytes. */
  EndGate spotChecking(SpotChecks spotChecks) {
    this.spotChecks = spotChecks;
    return this;
  }

  /** A neighbor starts serving {@code range} (absolute offsets): spot check it, maybe. */
  void rangeStarted(int sourceId, ByteRange range) {
    if (spotChecks != null) {
      spotChecks.rangeStarted(sourceId, range);
    }
  }

  /** {@code data} arrived from {@code sourceId} at absolute {@code offset}. */
  void received(int sourceId, long offset, Buffer data) {
    if (spotChecks != null) {
      spotChecks.received(sourceId, offset, data);
    }
  }

  /** {@code sourceId}'s {@code range} (absolute offsets) ended early: failed or cancelled. */
  void rangeStopped(int sourceId, ByteRange range) {
    if (spotChecks != null) {
      spotChecks.rangeStopped(sourceId, range);
    }
  }

  /**
   * The client's next bytes, in order, which take it to {@code writtenAfter} bytes: answers whether
   * the gate keeps them as the tail instead of letting them be written now.
   */
  boolean holdsBack(Buffer next, long writtenAfter) {
    if (digest != null) {
      digest.update(next);
    }
    if ((digest != null || spotChecks != null) && writtenAfter == size) {
      tail = next;
      return true;
    }
    return false;
  }

  /**
   * Once no spot check is pending (at once if none is), checks the digest and hands the verdict
   * over: {@code pass} gets the held tail (null when none was held), {@code fail} the reason. Call
   * after the body's last bytes went through {@link #holdsBack}; the digest is checked once, so a
   * caller that calls again before a verdict only moves the verdict to its latest callbacks.
   */
  void decide(Consumer<Buffer> pass, Consumer<String> fail) {
    if (spotChecks != null && spotChecks.pending() > 0) {
      spotChecks.settled(() -> decide(pass, fail));
      return;
    }
    if (digest != null && !digest.isKnown()) {
      digest.whenKnown(() -> decide(pass, fail));
      return;
    }
    if (digest != null && digest.applies() && !digest.matches()) {
      fail.accept(
          "the bytes do not match the origin's "
              + digest.header()
              + " ("
              + digest.algorithm()
              + "); the client connection was reset");
      return;
    }
    pass.accept(tail);
  }
}
