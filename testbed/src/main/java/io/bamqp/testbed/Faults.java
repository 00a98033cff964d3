package io.bamqp.testbed;

import io.bamqp.testbed.internal.FaultState;

/**
 * Runtime fault knobs of one {@link TestOrigin}. Safe to flip from any thread while the origin
 * runs; each response reads the knobs once, when it starts, so a change applies to responses that
 * start afterwards. All knobs are off initially and after {@link #clear()}.
 *
 * <p>{@link #onlyFor(String)} limits the range, reset and stall knobs to clients from one source
 * address (one emulated line), e.g. to make a single helper's fetches fail. The version knobs
 * change the object itself and so affect every client.
 *
 * <pre>{@code
 * origin.faults().onlyFor("127.0.0.12").stallAfter(256 * Content.KIB);
 * }</pre>
 */
public final class Faults {

  private final FaultState state;

  Faults(FaultState state) {
    this.state = state;
  }

  /**
   * When {@code true}, every file request is answered {@code 200} with the whole body, as if the
   * origin did not support ranges (it still sends {@code Accept-Ranges: bytes}: a server that
   * lies).
   */
  public Faults ignoreRange(boolean ignore) {
    state.ignoreRange(ignore);
    return this;
  }

  /**
   * Changes the object once {@code bytes} more body bytes have been served, counted over all
   * responses and addresses from now. Requests that start after the change see the next version: a
   * new {@code ETag}, a newer {@code Last-Modified} and different content; responses already
   * flowing keep sending the version they started with. Fires once, then disarms.
   */
  public Faults changeVersionAfter(long bytes) {
    state.changeVersionAfter(bytes);
    return this;
  }

  /** Changes the object now; see {@link #changeVersionAfter(long)}. */
  public Faults changeVersionNow() {
    state.changeVersionNow();
    return this;
  }

  /**
   * Closes the connection after exactly {@code bytes} body bytes of each response that starts from
   * now, before its {@code Content-Length} (or last chunk) is reached. A response shorter than that
   * completes normally.
   */
  public Faults resetAfter(long bytes) {
    state.resetAfter(bytes);
    return this;
  }

  /**
   * Stops writing after exactly {@code bytes} body bytes of each response that starts from now,
   * keeping the connection open and idle until the client gives up or the origin closes.
   */
  public Faults stallAfter(long bytes) {
    state.stallAfter(bytes);
    return this;
  }

  /**
   * Limits the range, reset and stall knobs to clients connecting from {@code address} (e.g. {@code
   * "127.0.0.12"}); {@code null} applies them to everyone again.
   */
  public Faults onlyFor(String address) {
    state.onlyFor(address);
    return this;
  }

  /** Turns every knob off and drops the address scope; the current version stays. */
  public Faults clear() {
    state.clear();
    return this;
  }

  /** Whether ranges are ignored. */
  public boolean ignoresRange() {
    return state.ignoresRange();
  }

  /** Body bytes after which responses are reset, or -1 when off. */
  public long resetAfter() {
    return state.resetAfter();
  }

  /** Body bytes after which responses stall, or -1 when off. */
  public long stallAfter() {
    return state.stallAfter();
  }

  /** Body bytes left before the armed version change, or -1 when none is armed. */
  public long bytesUntilVersionChange() {
    return state.versionCountdown();
  }

  @Override
  public String toString() {
    return "Faults{ignoreRange="
        + state.ignoresRange()
        + ", resetAfter="
        + state.resetAfter()
        + ", stallAfter="
        + state.stallAfter()
        + ", versionCountdown="
        + state.versionCountdown()
        + ", onlyFor="
        + state.onlyFor()
        + '}';
  }
}
