package io.bamqp.peer.internal;

import static io.bamqp.security.Fuzz.anyLong;
import static io.bamqp.security.Fuzz.anyStrings;
import static io.bamqp.security.Fuzz.of;
import static io.bamqp.security.Fuzz.oneOf;
import static io.bamqp.security.Fuzz.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.security.Fuzz;
import io.bamqp.security.Fuzz.Gen;
import io.bamqp.security.Identity;
import io.bamqp.security.PeerId;
import io.bamqp.security.RequestSignature;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

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

  /** Characters that matter to the header's syntax and its base64url values, and look-alikes. */
  private static final String HOSTILE = ";= -_A7\u0131\u017f%+/";

  @Test
  void anyHeaderIsAClaimForThisRequestOrRefusedAsBadSignature() {
    Gen<String> valid = of(HEADER);
    Gen<String> keyValues =
        random ->
            of("t", "n", "aud", "sig", "x", "", " t ").apply(random)
                + "="
                + strings("=;-_AZaz09+/ ", 0, 30).apply(random);
    Gen<String> headers =
        oneOf(
            valid,
            Fuzz.mutated(valid, HOSTILE),
            Fuzz.mutated(Fuzz.mutated(valid, HOSTILE), HOSTILE),
            keyValues.list(0, 6).map(parts -> String.join(";", parts)),
            anyStrings(600),
            random -> null);
    Fuzz.check(
        "anyHeaderIsAClaimForThisRequestOrRefusedAsBadSignature",
        3000,
        Arrays.asList(null, "", " ", ";", "=", HEADER, HEADER + ";", HEADER + ";t=1"),
        headers,
        header -> {
          RequestSignature claimed;
          try {
            claimed =
                SignatureHeader.parse(
                    header, "POST", "/bamqp/v1/jobs", RequestSignature.sha256(BODY), HOME.id());
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
                  && Arrays.equals(claimed.nonce(), SIGNED.nonce())
                  && Arrays.equals(claimed.signature(), SIGNED.signature());
          assertThat(verifies)
              .as("verifies exactly when it claims what was signed")
              .isEqualTo(sameClaim);
        });
  }

  record Signing(long time, String target) {}

  @Test
  void aFormattedHeaderReadsBackToItsSignature() {
    Gen<Long> times = anyLong();
    Gen<String> targets = anyStrings(30).map(s -> "/bamqp/v1/jobs/" + s);
    Fuzz.check(
        "aFormattedHeaderReadsBackToItsSignature",
        300,
        List.of(
            new Signing(0, "/bamqp/v1/jobs/"),
            new Signing(-1, "/bamqp/v1/jobs/"),
            new Signing(Long.MIN_VALUE, "/bamqp/v1/jobs/"),
            new Signing(Long.MAX_VALUE, "/bamqp/v1/jobs/\ud800")),
        random -> new Signing(times.apply(random), targets.apply(random)),
        input -> {
          RequestSignature signature =
              RequestSignature.sign(HOME, HELPER, "GET", input.target(), null, input.time());
          RequestSignature read =
              SignatureHeader.parse(
                  SignatureHeader.format(signature),
                  "GET",
                  input.target(),
                  RequestSignature.sha256(null),
                  HOME.id());
          assertThat(read.isSignedBy(HOME.key())).isTrue();
          assertThat(read.timeMillis()).isEqualTo(input.time());
          assertThat(read.helper()).isEqualTo(HELPER);
        });
  }
}
