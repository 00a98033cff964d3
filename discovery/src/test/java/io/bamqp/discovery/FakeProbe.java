package io.bamqp.discovery;

import io.bamqp.security.PeerId;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A liveness probe whose peers answer at once or not at all, as the test says, and which records
 * every call it gets.
 */
final class FakeProbe implements LivenessProbe {
  static final Duration RTT = Duration.ofMillis(3);

  /** One call: which peer, at which address. */
  record Call(PeerId id, InetSocketAddress address) {}

  private record Answer(Probe probe, InetSocketAddress onlyAt) {}

  private final Map<PeerId, Answer> answers = new ConcurrentHashMap<>();
  private final Queue<Call> calls = new ConcurrentLinkedQueue<>();

  /** {@code id} answers at every address. */
  FakeProbe answer(PeerId id, boolean sharing, double rateMbps) {
    answers.put(id, new Answer(new Probe(RTT, sharing, rateMbps), null));
    return this;
  }

  /** {@code id} answers at {@code address} only (it moved there). */
  FakeProbe answerOnlyAt(PeerId id, InetSocketAddress address) {
    answers.put(id, new Answer(new Probe(RTT, true, 10), address));
    return this;
  }

  /** {@code id} stops answering. */
  FakeProbe silence(PeerId id) {
    answers.remove(id);
    return this;
  }

  List<Call> callsFor(PeerId id) {
    return calls.stream().filter(call -> call.id().equals(id)).toList();
  }

  @Override
  public CompletionStage<Probe> check(PeerId id, InetSocketAddress address) {
    calls.add(new Call(id, address));
    Answer answer = answers.get(id);
    if (answer != null && (answer.onlyAt() == null || answer.onlyAt().equals(address))) {
      return CompletableFuture.completedFuture(answer.probe());
    }
    return CompletableFuture.failedFuture(new ConnectException("fake: " + id + " is silent"));
  }
}
