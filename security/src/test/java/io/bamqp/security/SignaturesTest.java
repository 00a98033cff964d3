package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SignaturesTest {
  private static final Identity HOME = Identity.generate();
  private static final Identity HELPER = Identity.generate();
  private static final byte[] BODY = "{\"jobId\":\"j\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void aRequestSignatureVerifiesWithTheHomesKeyOnly() {
    RequestSignature signed =
        RequestSignature.sign(HOME, HELPER.id(), "POST", "/bamqp/v1/jobs", BODY, 1_000);

    assertThat(signed.isSignedBy(HOME.key())).isTrue();
    assertThat(signed.isSignedBy(HELPER.key())).isFalse();
    assertThat(signed.bodySha256()).isEqualTo(RequestSignature.sha256(BODY));
    assertThat(signed.nonce()).hasSize(RequestSignature.NONCE_BYTES);
  }

  @Test
  void aRequestSignatureFailsWhenAnyFieldDiffers() {
    RequestSignature s =
        RequestSignature.sign(HOME, HELPER.id(), "POST", "/bamqp/v1/jobs", BODY, 1_000);
    byte[] other = RequestSignature.sha256(new byte[1]);

    assertThat(
            new RequestSignature(
                    "GET",
                    s.target(),
                    s.bodySha256(),
                    s.home(),
                    s.helper(),
                    1_000,
                    s.nonce(),
                    s.signature())
                .isSignedBy(HOME.key()))
        .isFalse();
    assertThat(
            new RequestSignature(
                    "POST",
                    s.target(),
                    other,
                    s.home(),
                    s.helper(),
                    1_000,
                    s.nonce(),
                    s.signature())
                .isSignedBy(HOME.key()))
        .isFalse();
    assertThat(
            new RequestSignature(
                    "POST",
                    s.target(),
                    s.bodySha256(),
                    s.home(),
                    HOME.id(),
                    1_000,
                    s.nonce(),
                    s.signature())
                .isSignedBy(HOME.key()))
        .isFalse();
    assertThat(
            new RequestSignature(
                    "POST",
                    s.target(),
                    s.bodySha256(),
                    s.home(),
                    s.helper(),
                    1_001,
                    s.nonce(),
                    s.signature())
                .isSignedBy(HOME.key()))
        .isFalse();
  }

  @Test
  void aChunkSignatureCoversOffsetsValidatorHashAndTheHome() {
    byte[] hash = RequestSignature.sha256(new byte[] {7});
    ChunkSignature s =
        ChunkSignature.sign(HELPER, "j", "http://o/f", 0, 9, "\"v1\"", hash, HOME.id());

    assertThat(s.isSignedBy(HELPER.key())).isTrue();
    assertThat(s.isSignedBy(HOME.key())).isFalse();
    assertThat(copy(s, 1, 9, "\"v1\"", HOME.id()).isSignedBy(HELPER.key())).isFalse();
    assertThat(copy(s, 0, 8, "\"v1\"", HOME.id()).isSignedBy(HELPER.key())).isFalse();
    assertThat(copy(s, 0, 9, "\"v2\"", HOME.id()).isSignedBy(HELPER.key())).isFalse();
    assertThat(copy(s, 0, 9, "\"v1\"", HELPER.id()).isSignedBy(HELPER.key())).isFalse();
  }

  @Test
  void theEncodingSeparatesFieldsAndPurposes() {
    byte[] ab = Canonical.labelled("x").text("ab").text("c").toBytes();
    byte[] a = Canonical.labelled("x").text("a").text("bc").toBytes();
    byte[] absent = Canonical.labelled("x").text(null).toBytes();
    byte[] empty = Canonical.labelled("x").text("").toBytes();

    assertThat(ab).isNotEqualTo(a);
    assertThat(absent).isNotEqualTo(empty);
    assertThat(Canonical.labelled(RequestSignature.LABEL).toBytes())
        .isNotEqualTo(Canonical.labelled(ChunkSignature.LABEL).toBytes());
  }

  private static ChunkSignature copy(
      ChunkSignature s, long first, long last, String validator, PeerId home) {
    return new ChunkSignature(
        s.jobId(), s.url(), first, last, validator, s.sha256(), home, s.signature());
  }
}
