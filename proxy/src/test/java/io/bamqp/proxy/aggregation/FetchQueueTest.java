package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.planner.Action;
import io.bamqp.planner.ByteRange;
import org.junit.jupiter.api.Test;

class FetchQueueTest {
  private final FetchQueue queue = new FetchQueue(2);

  private static Action.Assign assign(long id) {
    return new Action.Assign(
        1, id, new ByteRange(id * 100, id * 100 + 99), Action.Assign.Purpose.FETCH);
  }

  @Test
  void aSourceFetchesUpToItsLimitAndFurtherAssignmentsWaitInTheOrderTheyCame() {
    assertThat(queue.admit(assign(1))).isTrue();
    assertThat(queue.admit(assign(2))).isTrue();
    assertThat(queue.admit(assign(3))).isFalse();
    assertThat(queue.admit(assign(4))).isFalse();

    assertThat(queue.fetching()).isEqualTo(2);
    assertThat(queue.waiting()).isEqualTo(2);
    queue.fetchEnded();
    Action.Assign next = queue.next();
    assertThat(next.assignmentId()).isEqualTo(3);
    assertThat(queue.admit(next)).as("the freed slot is its").isTrue();
    assertThat(queue.next().assignmentId()).isEqualTo(4);
    assertThat(queue.next()).isNull();
  }

  @Test
  void aCancelledAssignmentThatWaitedNeverStarts() {
    queue.admit(assign(1));
    queue.admit(assign(2));
    queue.admit(assign(3));
    queue.admit(assign(4));

    queue.drop(3);
    queue.drop(99);

    queue.fetchEnded();
    assertThat(queue.next().assignmentId()).isEqualTo(4);
    assertThat(queue.next()).isNull();
  }

  @Test
  void aRetiredSourceStartsNothingThatWaitedButItsRunningFetchesStillEnd() {
    queue.admit(assign(1));
    queue.admit(assign(2));
    queue.admit(assign(3));

    queue.clear();
    queue.fetchEnded();
    queue.fetchEnded();

    assertThat(queue.next()).isNull();
    assertThat(queue.fetching()).isZero();
  }
}
