package io.bamqp.testbed.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ByteSizesTest {

  @Test
  void plainNumbersAreBytes() {
    assertThat(ByteSizes.parse("123")).isEqualTo(123);
    assertThat(ByteSizes.parse("123B")).isEqualTo(123);
    assertThat(ByteSizes.parse("0")).isZero();
  }

  @Test
  void binaryAndDecimalUnitsAreUnderstood() {
    assertThat(ByteSizes.parse("64KiB")).isEqualTo(64 * 1024);
    assertThat(ByteSizes.parse("8MiB")).isEqualTo(8L << 20);
    assertThat(ByteSizes.parse("1GiB")).isEqualTo(1L << 30);
    assertThat(ByteSizes.parse("1gib")).isEqualTo(1L << 30);
    assertThat(ByteSizes.parse("5MB")).isEqualTo(5_000_000);
  }

  @Test
  void anythingElseIsRejected() {
    for (String text :
        new String[] {"", "-1", "1.5MiB", "MiB", "12XB", "99999999999TiB", "1 MiB"}) {
      assertThat(ByteSizes.parse(text)).as(text).isEqualTo(-1);
    }
  }
}
