package io.bamqp.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.security.HangDetector;
import io.bamqp.security.Identity;
import io.bamqp.security.PeerId;
import io.bamqp.security.RequestSignature;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based tests of the {@code Bamqp-Signature} header as a helper reads it: any value is a
 * signature claim for this request or a {@link PeerErrorCode#BAD_SIGNATURE} refusal, never another
 * failure; a formatted header reads back to the signature it carries; a changed one never verifies
 * as the home's.
 */
class SignatureHeaderFuzzTest {
  private static final Identity HOME = Identity.generate();
  private static final PeerId HELPER = Identity.generate().id();
  private static final byte[] BODY = "{\"jobId\":\"j\"}".getBytes(StandardCharsets.UTF_8);
  private static final RequestSignature SIGNED =
      RequestSignature.sign(HOME, HELPER, "POST", "/bamqp/v1/jobs", BODY, 1_700_000_000_000L);
  private static final String HEADER = SignatureHeader.format(SIGNED);

  @Property(tries = 3000)
  void anyHeaderIsAClaimForThisRequestOrRefusedAsBadSignature(@ForAll("headers") String header)
      throws Exception {
    RequestSignature claimed;
    try {
      claimed =
          HangDetector.call(
              () ->
                  SignatureHeader.parse(
                      header, "POST", "/bamqp/v1/jobs", RequestSignature.sha256(BODY), HOME.id()));
    } catch (PeerException refused) {
      assertThat(refused.code()).isEqualTo(PeerErrorCode.BAD_SIGNATURE);
      return;
    }
    assertThat(claimed.method()).isEqualTo("POST");
    assertThat(claimed.target()).isEqualTo("/bamqp/v1/jobs");
    assertThat(claimed.home()).isEqualTo(HOME.id());
    boolean verifies = claimed.isSignedBy(HOME.key());
    boolean sameClaim =
        claimed.helper().equals(SIGNED.helper())
            && claimed.timeMillis() == SIGNED.timeMillis()
            && java.util.Arrays.equals(claimed.nonce(), SIGNED.nonce())
            && java.util.Arrays.equals(claimed.signature(), SIGNED.signature());
    assertThat(verifies).as("verifies exactly when it claims what was signed").isEqualTo(sameClaim);
  }

  @Property(tries = 300)
  void aFormattedHeaderReadsBackToItsSignature(
      @ForAll("times") long time, @ForAll("targets") String target) throws Exception {
    RequestSignature signature = RequestSignature.sign(HOME, HELPER, "GET", target, null, time);
    RequestSignature read =
        SignatureHeader.parse(
            SignatureHeader.format(signature),
            "GET",
            target,
            RequestSignature.sha256(null),
            HOME.id());
    assertThat(read.isSignedBy(HOME.key())).isTrue();
    assertThat(read.timeMillis()).isEqualTo(time);
    assertThat(read.helper()).isEqualTo(HELPER);
  }

  @Provide
  Arbitrary<Long> times() {
    return Arbitraries.longs();
  }

  @Provide
  Arbitrary<String> targets() {
    return Arbitraries.strings().ofMaxLength(30).map(s -> "/bamqp/v1/jobs/" + s);
  }

  @Provide
  Arbitrary<String> headers() {
    Arbitrary<String> valid = Arbitraries.just(HEADER);
    return Arbitraries.oneOf(
        valid,
        mutated(valid),
        mutated(mutated(valid)),
        Combinators.combine(
                Arbitraries.of("t", "n", "aud", "sig", "x", "", " t "),
                Arbitraries.strings().withChars("=;-_AZaz09+/ ").ofMaxLength(30))
            .as((k, v) -> k + "=" + v)
            .list()
            .ofMaxSize(6)
            .map(parts -> String.join(";", parts)),
        Arbitraries.strings().all().ofMaxLength(600),
        Arbitraries.just(null));
  }

  private static Arbitrary<String> mutated(Arbitrary<String> texts) {
    return Combinators.combine(
            texts,
            Arbitraries.of(';', '=', ' ', '-', '_', 'A', '7', '\u0131', '\u017f', '%', '+', '/'),
            Arbitraries.integers().between(0, 1000),
            Arbitraries.integers().between(0, 2))
        .as(
            (text, c, where, how) -> {
              int at = where % (text.length() + 1);
              return switch (how) {
                case 0 -> text.substring(0, at) + c + text.substring(at);
                case 1 ->
                    at < text.length() ? text.substring(0, at) + c + text.substring(at + 1) : text;
                default -> text.substring(0, at);
              };
            });
  }
}
