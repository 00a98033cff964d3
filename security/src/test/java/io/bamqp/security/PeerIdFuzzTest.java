package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based tests of peer IDs as people and neighbors write them (config, a mDNS announcement,
 * a {@code Bamqp-Signature}'s {@code aud}): an ID reads back from how it prints, in any case and
 * grouping; anything else is an {@link IllegalArgumentException}; only ASCII base32 letters count,
 * so no look-alike ({@code ı}, {@code ſ}) stands in for one.
 */
class PeerIdFuzzTest {
  private static final PeerId ID = Identity.generate().id();

  @Property(tries = 2000)
  void anyTextIsAnIdWrittenInAsciiBase32OrRefused(@ForAll("texts") String text) throws Exception {
    PeerId id;
    try {
      id = HangDetector.call(() -> PeerId.parse(text));
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    assertThat(text.trim().chars())
        .allMatch(
            c -> c == '-' || c == ' ' || c >= '2' && c <= '7' || Character.isLetter(c) && c < 0x80);
    assertThat(PeerId.parse(id.toString())).isEqualTo(id);
    assertThat(PeerId.parse(id.toString().toLowerCase(java.util.Locale.ROOT))).isEqualTo(id);
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> valid =
        Arbitraries.of(
            ID.toString(),
            ID.toString().toLowerCase(java.util.Locale.ROOT),
            ID.toString().replace("-", ""),
            " " + ID + " ");
    return Arbitraries.oneOf(
        valid,
        Combinators.combine(
                valid,
                Arbitraries.of(
                    '\u0131', '\u017f', '\u212a', '0', '1', '8', '=', '\0', '-', ' ', 'a'),
                Arbitraries.integers().between(0, 60),
                Arbitraries.of(true, false))
            .as(
                (text, c, where, replace) -> {
                  int at = where % (text.length() + 1);
                  return replace && at < text.length()
                      ? text.substring(0, at) + c + text.substring(at + 1)
                      : text.substring(0, at) + c + text.substring(at);
                }),
        Arbitraries.strings().all().ofMaxLength(40));
  }
}
