package io.bamqp.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
  @Test
  void rangeIsInclusiveAtBothEndsLikeAnHttpRange() {
    ByteRange r = ByteRange.ofLength(100, 50);

    assertThat(r.last()).isEqualTo(149);
    assertThat(r.length()).isEqualTo(50);
    assertThat(r.end()).isEqualTo(150);
    assertThat(r.rangeHeader()).isEqualTo("bytes=100-149");
    assertThat(r.contains(149)).isTrue();
    assertThat(r.contains(150)).isFalse();
  }

  @Test
  void emptyOrBackwardRangeIsRefused() {
    assertThatThrownBy(() -> new ByteRange(10, 9)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ByteRange.ofLength(0, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
