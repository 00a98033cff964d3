package io.bamqp.testbed.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RangeHeaderTest {

  private static final long TOTAL = 1000;

  @Test
  void aClosedRangeIsTakenAsIs() {
    assertThat(RangeHeader.parse("bytes=10-19", TOTAL)).isEqualTo(new ByteRange.Span(10, 19));
  }

  @Test
  void anOpenRangeRunsToTheEnd() {
    assertThat(RangeHeader.parse("bytes=990-", TOTAL)).isEqualTo(new ByteRange.Span(990, 999));
  }

  @Test
  void aSuffixRangeIsTheLastBytes() {
    assertThat(RangeHeader.parse("bytes=-10", TOTAL)).isEqualTo(new ByteRange.Span(990, 999));
    assertThat(RangeHeader.parse("bytes=-5000", TOTAL)).isEqualTo(new ByteRange.Span(0, 999));
  }

  @Test
  void aLastPositionPastTheEndIsClamped() {
    assertThat(RangeHeader.parse("bytes=500-5000", TOTAL)).isEqualTo(new ByteRange.Span(500, 999));
    assertThat(RangeHeader.parse("bytes=0-99999999999999999999", TOTAL))
        .isEqualTo(new ByteRange.Span(0, 999));
  }

  @Test
  void aRangeStartingAtOrPastTheEndIsUnsatisfiable() {
    assertThat(RangeHeader.parse("bytes=1000-", TOTAL)).isEqualTo(ByteRange.UNSATISFIABLE);
    assertThat(RangeHeader.parse("bytes=1000-2000", TOTAL)).isEqualTo(ByteRange.UNSATISFIABLE);
    assertThat(RangeHeader.parse("bytes=-0", TOTAL)).isEqualTo(ByteRange.UNSATISFIABLE);
    assertThat(RangeHeader.parse("bytes=0-", 0)).isEqualTo(ByteRange.UNSATISFIABLE);
  }

  @Test
  void multipleRangesOtherUnitsAndGarbageMeanTheWholeBody() {
    for (String header :
        new String[] {
          "bytes=0-1,5-6", "items=0-1", "bytes=", "bytes=-", "bytes=5-1", "bytes=a-b", "0-1"
        }) {
      assertThat(RangeHeader.parse(header, TOTAL)).as(header).isEqualTo(ByteRange.WHOLE);
    }
    assertThat(RangeHeader.parse(null, TOTAL)).isEqualTo(ByteRange.WHOLE);
  }

  @Test
  void theContentRangeNamesFirstLastAndTotal() {
    assertThat(new ByteRange.Span(10, 19).contentRange(TOTAL)).isEqualTo("bytes 10-19/1000");
  }
}
