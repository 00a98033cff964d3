package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.planner.ByteRange;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ReprDigestTest {
  private static final Eligibility.Download WHOLE =
      new Eligibility.Download(new ByteRange(0, 9), 10, "\"v1\"", null, false);
  private static final Buffer BYTES = Buffer.buffer("0123456789");

  private static String sf(String algorithm, byte[] value) {
    return algorithm + "=:" + Base64.getEncoder().encodeToString(value) + ":";
  }

  private static byte[] hash(String algorithm) throws Exception {
    return MessageDigest.getInstance(algorithm).digest(BYTES.getBytes());
  }

  private static ReprDigest of(String header) {
    return ReprDigest.of(MultiMap.caseInsensitiveMultiMap().add("Repr-Digest", header), WHOLE);
  }

  @Test
  void theStrongestKnownAlgorithmIsChecked() throws Exception {
    ReprDigest check =
        of(
            "unixsum=:AAA=:, "
                + sf("sha-256", hash("SHA-256"))
                + ", "
                + sf("sha-512", hash("SHA-512")));
    check.update(BYTES);
    assertThat(check.algorithm()).isEqualTo("sha-512");
    assertThat(check.matches()).isTrue();
  }

  @Test
  void otherBytesDoNotMatch() throws Exception {
    ReprDigest check = of(sf("sha-256", hash("SHA-256")));
    check.update(Buffer.buffer("0123456780"));
    assertThat(check.matches()).isFalse();
  }

  @Test
  void anAbsentMalformedOrPartialDigestIsNotChecked() throws Exception {
    assertThat(ReprDigest.of(MultiMap.caseInsensitiveMultiMap(), WHOLE)).isNull();
    assertThat(of("sha-256=:not base64!:")).isNull();
    assertThat(of("sha-256=:" + Base64.getEncoder().encodeToString(new byte[5]) + ":")).isNull();
    assertThat(of("md5=:AAAAAAAAAAAAAAAAAAAAAA==:")).isNull();
    Eligibility.Download part =
        new Eligibility.Download(new ByteRange(2, 5), 10, "\"v1\"", null, true);
    assertThat(
            ReprDigest.of(
                MultiMap.caseInsensitiveMultiMap()
                    .add("Repr-Digest", sf("sha-256", hash("SHA-256"))),
                part))
        .isNull();
  }

  @Test
  void theOlderDigestHeaderIsCheckedWhenThereIsNoReprDigest() throws Exception {
    String value = Base64.getEncoder().encodeToString(hash("SHA-256"));
    ReprDigest check =
        ReprDigest.of(
            MultiMap.caseInsensitiveMultiMap().add("Digest", "MD5=AAAA, SHA-256=" + value), WHOLE);
    check.update(BYTES);

    assertThat(check.header()).isEqualTo("Digest");
    assertThat(check.algorithm()).isEqualTo("sha-256");
    assertThat(check.matches()).isTrue();
  }

  @Test
  void aDigestHeaderOfOtherBytesDoesNotMatch() throws Exception {
    String other = Base64.getEncoder().encodeToString(new byte[32]);
    ReprDigest check =
        ReprDigest.of(MultiMap.caseInsensitiveMultiMap().add("Digest", "sha-256=" + other), WHOLE);
    check.update(BYTES);

    assertThat(check.matches()).isFalse();
  }
}
