package io.bamqp.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Chrome DevTools protocol connection to a browser over the JDK's WebSocket client: commands to
 * the browser itself or, with a session ID, to one attached target (flattened sessions).
 */
final class DevTools implements AutoCloseable {
  private static final long CALL_SECONDS = 30;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final WebSocket socket;

  private DevTools(URI browser) throws Exception {
    this.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(browser, new Replies())
            .get(CALL_SECONDS, TimeUnit.SECONDS);
  }

  /** Connects to the browser endpoint, e.g. {@code ws://127.0.0.1:PORT/devtools/browser/ID}. */
  static DevTools connect(URI browser) throws Exception {
    return new DevTools(browser);
  }

  /** Sends {@code method} to the browser and waits for its result. */
  JsonNode call(String method, Map<String, ?> params) throws Exception {
    return call(null, method, params);
  }

  /** Sends {@code method} to the target attached as {@code session} and waits for its result. */
  JsonNode call(String session, String method, Map<String, ?> params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", JSON.valueToTree(params));
    if (session != null) {
      message.put("sessionId", session);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    synchronized (socket) {
      // The JDK's WebSocket allows one outstanding send at a time.
      socket.sendText(JSON.writeValueAsString(message), true).get(CALL_SECONDS, TimeUnit.SECONDS);
    }
    try {
      return reply.get(CALL_SECONDS, TimeUnit.SECONDS);
    } finally {
      pending.remove(id);
    }
  }

  /**
   * Evaluates {@code expression} in {@code session}'s page as if the user acted (so a click may
   * start a download), awaits a promise it gives, and returns its value as JSON.
   */
  JsonNode evaluate(String session, String expression) throws Exception {
    JsonNode result =
        call(
            session,
            "Runtime.evaluate",
            Map.of(
                "expression",
                expression,
                "awaitPromise",
                true,
                "returnByValue",
                true,
                "userGesture",
                true));
    if (result.has("exceptionDetails")) {
      throw new AssertionError("'" + expression + "' threw: " + result.get("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  @Override
  public void close() {
    socket.abort();
    pending.values().forEach(reply -> reply.cancel(true));
  }

  /** Hands each reply to the call waiting for its ID; events are not needed and dropped. */
  private final class Replies implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        reply(text.toString());
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    private void reply(String message) {
      JsonNode node;
      try {
        node = JSON.readTree(message);
      } catch (Exception e) {
        return;
      }
      CompletableFuture<JsonNode> waiting = pending.get(node.path("id").asInt(-1));
      if (waiting == null) {
        return;
      }
      if (node.has("error")) {
        waiting.completeExceptionally(new AssertionError("DevTools: " + node.get("error")));
      } else {
        waiting.complete(node.path("result"));
      }
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      pending.values().forEach(reply -> reply.completeExceptionally(error));
    }
  }
}
