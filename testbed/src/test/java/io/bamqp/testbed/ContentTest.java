package io.bamqp.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ContentTest {

  private final Content content = Content.ofSize(Content.MIB);

  @Test
  void sameFileAndVersionAlwaysYieldTheSameBytes() {
    byte[] a = new byte[10_000];
    byte[] b = new byte[10_000];
    content.fill(12_345, a, 0, a.length);
    Content.ofSize(Content.MIB).fill(12_345, b, 0, b.length);
    assertThat(a).isEqualTo(b);
  }

  @Test
  void fillAgreesWithByteAtAtEveryAlignment() {
    for (int offset = 0; offset < 16; offset++) {
      for (int length = 0; length < 24; length++) {
        byte[] bytes = new byte[length + 2];
        content.fill(1000 + offset, bytes, 1, length);
        for (int i = 0; i < length; i++) {
          assertThat(bytes[i + 1]).isEqualTo(content.byteAt(1000 + offset + i));
        }
      }
    }
  }

  @Test
  void aRangeReadOneByteOffDiffersAlmostEverywhere() {
    byte[] right = content.slice(4096, 4096).getBytes();
    byte[] shifted = content.slice(4097, 4096).getBytes();
    assertThat(sameBytes(right, shifted)).isLessThan(64);
  }

  @Test
  void bytesDoNotRepeatWithAShortPeriod() {
    byte[] first = content.slice(0, 4096).getBytes();
    for (long period : new long[] {256, 4096, 65_536}) {
      assertThat(sameBytes(first, content.slice(period, 4096).getBytes())).isLessThan(64);
    }
  }

  @Test
  void aNewVersionHasDifferentBytesAndETag() {
    Content next = content.atVersion(1);
    assertThat(sameBytes(content.slice(0, 4096).getBytes(), next.slice(0, 4096).getBytes()))
        .isLessThan(64);
    assertThat(next.etag()).isNotEqualTo(content.etag());
    assertThat(next.lastModified()).isAfter(content.lastModified());
    assertThat(next.atVersion(0)).isEqualTo(content);
  }

  @Test
  void filesOfOtherSizesOrPathsHaveOtherBytes() {
    byte[] mine = content.slice(0, 4096).getBytes();
    assertThat(sameBytes(mine, Content.ofSize(Content.MIB + 1).slice(0, 4096).getBytes()))
        .isLessThan(64);
    assertThat(sameBytes(mine, Content.ofPath("/a.iso", Content.MIB).slice(0, 4096).getBytes()))
        .isLessThan(64);
    assertThat(Content.ofPath("/a.iso", 10).etag())
        .isNotEqualTo(Content.ofPath("/b.iso", 10).etag());
  }

  @Test
  void theExpectedHashOfARangeMatchesHashingItsBytes() throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    digest.update(content.slice(100_001, 200_000).getBytes());
    assertThat(content.sha256Hex(100_001, 200_000))
        .isEqualTo(HexFormat.of().formatHex(digest.digest()));
  }

  @Test
  void theWholeFileHashIsTheHashOfItsOnlyRange() {
    assertThat(content.sha256Hex()).isEqualTo(content.sha256Hex(0, Content.MIB));
    assertThat(content.sha256Hex()).isNotEqualTo(content.sha256Hex(1, Content.MIB));
  }

  @Test
  void theETagIsStrongAndQuoted() {
    assertThat(content.etag()).startsWith("\"").endsWith("-1048576-v0\"").doesNotStartWith("W/");
  }

  private static int sameBytes(byte[] a, byte[] b) {
    int same = 0;
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] == b[i]) {
        same++;
      }
    }
    assertThat(Arrays.equals(a, b)).isFalse();
    return same;
  }
}
