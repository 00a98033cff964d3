package io.bamqp.proxy.stats.internal;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The pages following live downloads over Server-Sent Events ({@code text/event-stream}). Each gets
 * the same event about once a second; a page that does not keep up misses events instead of making
 * the server queue them. Confined to the statistics server's event loop.
 */
final class EventStream {
  /** Pages following at once; more are answered 503. */
  static final int MAX_FOLLOWERS = 16;

  /** How long a page waits before reconnecting after the stream drops. */
  static final int RETRY_MILLIS = 2000;

  private final List<HttpServerResponse> followers = new ArrayList<>();

  /** Adds a page, or answers false when {@link #MAX_FOLLOWERS} are already following. */
  boolean follow(HttpServerResponse response) {
    if (followers.size() >= MAX_FOLLOWERS) {
      return false;
    }
    response
        .setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-store")
        .putHeader("x-accel-buffering", "no");
    response.write("retry: " + RETRY_MILLIS + "\n\n");
    followers.add(response);
    response.closeHandler(closed -> followers.remove(response));
    return true;
  }

  int followers() {
    return followers.size();
  }

  /** Sends {@code json} as one event named {@code name} to every page that keeps up. */
  void publish(String name, String json) {
    Buffer event = Buffer.buffer("event: " + name + "\ndata: " + json + "\n\n");
    for (HttpServerResponse follower : List.copyOf(followers)) {
      if (follower.closed()) {
        followers.remove(follower);
      } else if (!follower.writeQueueFull()) {
        follower.write(event);
      }
    }
  }

  /** Ends every stream (the server is closing). */
  void close() {
    List.copyOf(followers).forEach(follower -> follower.end());
    followers.clear();
  }
}
