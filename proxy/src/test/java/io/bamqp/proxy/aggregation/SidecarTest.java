package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SidecarTest {
  private static final String A = "a".repeat(64);
  private static final String B = "0123456789abcdef".repeat(4);

  @Test
  void aDotSha256FileMayHoldTheDigestAloneOrWithTheFilesName() {
    assertThat(Sidecar.find(A + "\n", "x.iso", true)).isEqualTo(bytes(A));
    assertThat(Sidecar.find(A + "  x.iso\r\n", "x.iso", true)).isEqualTo(bytes(A));
    assertThat(Sidecar.find(A.toUpperCase() + " *x.iso", "x.iso", true)).isEqualTo(bytes(A));
    assertThat(Sidecar.find(A + "  other.iso\n", "x.iso", true)).isNull();
  }

  @Test
  void sha256SumsGivesTheLineOfThisFileOnly() {
    String sums = B + "  other.iso\n" + A + "  ./images/x.iso\n";
    assertThat(Sidecar.find(sums, "x.iso", false)).isEqualTo(bytes(A));
    assertThat(Sidecar.find(sums, "missing.iso", false)).isNull();
    assertThat(Sidecar.find(A + "\n", "x.iso", false))
        .as("a bare digest in SHA256SUMS names no file")
        .isNull();
  }

  @Test
  void anythingElseIsNoDigest() {
    assertThat(Sidecar.find("", "x.iso", true)).isNull();
    assertThat(Sidecar.find("<html>not found</html>", "x.iso", true)).isNull();
    assertThat(Sidecar.find(A.substring(1) + "  x.iso", "x.iso", true)).isNull();
    assertThat(Sidecar.find(A + "0  x.iso", "x.iso", true)).isNull();
  }

  private static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
