package io.bamqp.security;

import static io.bamqp.security.Fuzz.anyStrings;
import static io.bamqp.security.Fuzz.mutated;
import static io.bamqp.security.Fuzz.of;
import static io.bamqp.security.Fuzz.oneOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.Fuzz.Gen;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests of peer IDs as people and neighbors write them (config, a mDNS announcement,
 * a {@code Bamqp-Signature}'s {@code aud}): an ID reads back from how it prints, in any case and
 * grouping; anything else is an {@link IllegalArgumentException}; only ASCII base32 letters count,
 * so no look-alike ({@code ı}, {@code ſ}) stands in for one.
 */
class PeerIdFuzzTest {
  /** A fixed ID (the key of {@code 32} zero bytes), so a seed reproduces the same texts. */
  private static final PeerId ID = PeerId.ofPublicKey(new byte[32]);

  private static final List<String> VALID =
      List.of(
          ID.toString(),
          ID.toString().toLowerCase(Locale.ROOT),
          ID.toString().replace("-", ""),
          " " + ID + " ");

  @Test
  void anyTextIsAnIdWrittenInAsciiBase32OrRefused() {
    Gen<String> valid = of(VALID);
    Gen<String> texts = oneOf(valid, mutated(valid, "\u0131\u017f\u212a018=\0- a"), anyStrings(40));
    Fuzz.check(
        "anyTextIsAnIdWrittenInAsciiBase32OrRefused",
        2000,
        List.of("", " ", "-", "\u0131", "\u017f"),
        texts,
        text -> {
          PeerId id;
          try {
            id = PeerId.parse(text);
          } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
          }
          assertThat(text.trim().chars())
              .allMatch(
                  c ->
                      c == '-'
                          || c == ' '
                          || c >= '2' && c <= '7'
                          || Character.isLetter(c) && c < 0x80);
          assertThat(PeerId.parse(id.toString())).isEqualTo(id);
          assertThat(PeerId.parse(id.toString().toLowerCase(Locale.ROOT))).isEqualTo(id);
        });
  }
}
