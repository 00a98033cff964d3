package io.bamqp.proxy.stats.internal;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The pages following live downloads over Server-Sent Events ({@code text/event-stream}). Each gets
 * the same event about once a second; a page that does not keep up misses events instead of making
 * the server queue them.
 *
 * <p>Streams are bounded without locking anyone out: one address follows with at most {@link
 * #MAX_FOLLOWERS_PER_CLIENT} streams and the page as a whole with {@link #MAX_FOLLOWERS}; a new
 * stream beyond either ends the oldest one (of that address, or of all) instead of being refused.
 * An ended page is told to wait {@link #DROPPED_RETRY_MILLIS} before it reconnects, so pages
 * crowding each other out take turns slowly. Confined to the statistics server's event loop.
 */
final class EventStream {
  /** Pages following at once; a new one ends the oldest. */
  static final int MAX_FOLLOWERS = 16;

  /**
   * Pages following from one address at once (a few tabs); a new one ends that address's oldest.
   */
  static final int MAX_FOLLOWERS_PER_CLIENT = 4;

  /** How long a page waits before reconnecting after the stream drops. */
  static final int RETRY_MILLIS = 2000;

  /** How long a page whose stream was ended to make room waits before reconnecting. */
  static final int DROPPED_RETRY_MILLIS = 30_000;

  private record Follower(String client, HttpServerResponse response) {}

  private final List<Follower> followers = new ArrayList<>(); // oldest first

  /** Adds the page at {@code client}, ending an older stream if a limit is reached. */
  void follow(String client, HttpServerResponse response) {
    if (count(client) >= MAX_FOLLOWERS_PER_CLIENT) {
      drop(oldest(client));
    } else if (followers.size() >= MAX_FOLLOWERS) {
      drop(followers.get(0));
    }
    response
        .setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-store")
        .putHeader("x-accel-buffering", "no");
    response.write("retry: " + RETRY_MILLIS + "\n\n");
    Follower follower = new Follower(client, response);
    followers.add(follower);
    response.closeHandler(closed -> followers.remove(follower));
  }

  int followers() {
    return followers.size();
  }

  /** Sends {@code json} as one event named {@code name} to every page that keeps up. */
  void publish(String name, String json) {
    Buffer event = Buffer.buffer("event: " + name + "\ndata: " + json + "\n\n");
    for (Follower follower : List.copyOf(followers)) {
      HttpServerResponse response = follower.response();
      if (response.closed()) {
        followers.remove(follower);
      } else if (!response.writeQueueFull()) {
        response.write(event);
      }
    }
  }

  /** Ends every stream (the server is closing). */
  void close() {
    List.copyOf(followers).forEach(follower -> follower.response().end());
    followers.clear();
  }

  private int count(String client) {
    int count = 0;
    for (Follower follower : followers) {
      if (follower.client().equals(client)) {
        count++;
      }
    }
    return count;
  }

  private Follower oldest(String client) {
    for (Follower follower : followers) {
      if (follower.client().equals(client)) {
        return follower;
      }
    }
    throw new IllegalStateException("no stream of " + client);
  }

  private void drop(Follower follower) {
    followers.remove(follower);
    HttpServerResponse response = follower.response();
    if (!response.closed()) {
      response.end("retry: " + DROPPED_RETRY_MILLIS + "\n\n");
    }
  }
}
