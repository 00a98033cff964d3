package io.bamqp.planner.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReorderBufferTest {
  @Test
  void bytesAreWrittenInOrderOnceTheGapFills() {
    ReorderBuffer b = new ReorderBuffer(1000);
    b.receive(100, 100);

    assertThat(b.consume(Long.MAX_VALUE)).isZero();
    b.receive(0, 100);
    assertThat(b.consume(150)).isEqualTo(150);
    assertThat(b.consume(Long.MAX_VALUE)).isEqualTo(50);
    assertThat(b.position()).isEqualTo(200);
    assertThat(b.maxHeld()).isEqualTo(200);
  }

  @Test
  void secondCopyOfABytesIsDroppedAndCounted() {
    ReorderBuffer b = new ReorderBuffer(1000);
    b.receive(0, 100);
    b.consume(50);

    b.receive(20, 200);

    assertThat(b.duplicateBytes()).isEqualTo(80);
    assertThat(b.consume(Long.MAX_VALUE)).isEqualTo(170);
  }
}
