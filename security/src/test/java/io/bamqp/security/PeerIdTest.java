package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PeerIdTest {
  private static final byte[] KEY = new byte[32];

  @Test
  void anIdIsFourGroupsOfEightBase32Letters() {
    String id = PeerId.ofPublicKey(KEY).toString();
    assertThat(id).matches("[A-Z2-7]{8}(-[A-Z2-7]{8}){3}");
  }

  @Test
  void typedIdsParseWhateverTheirCaseAndDashes() {
    PeerId id = PeerId.ofPublicKey(KEY);
    String loose = id.toString().toLowerCase().replace("-", " ");
    assertThat(PeerId.parse(loose)).isEqualTo(id);
    assertThat(PeerId.parse(id.toString().replace("-", ""))).isEqualTo(id);
  }

  @Test
  void differentKeysHaveDifferentIds() {
    byte[] other = KEY.clone();
    other[31] = 1;
    assertThat(PeerId.ofPublicKey(other)).isNotEqualTo(PeerId.ofPublicKey(KEY));
  }

  @Test
  void malformedIdsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> PeerId.parse("router-2"))
        .hasMessageContaining("7 letters, not 32")
        .hasMessageContaining("router-2")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PeerId.parse("ABCDEFGH")).hasMessageContaining("8 letters, not 32");
    assertThatThrownBy(() -> PeerId.parse(" ")).hasMessageContaining("empty");
    assertThatThrownBy(() -> PeerId.parse("ABCDEFG1-ABCDEFGH-ABCDEFGH-ABCDEFGH"))
        .hasMessageContaining("'1'");
  }

  @Test
  void aKeyOfTheWrongLengthIsRefused() {
    assertThatThrownBy(() -> PeerId.ofPublicKey(new byte[31])).hasMessageContaining("31");
  }

  @Test
  void aLookAlikeOfABase32LetterIsNotThatLetter() {
    // Character.toUpperCase turns the dotless i into I and the long s into S.
    assertThat(PeerId.parse("I".repeat(32))).hasToString("IIIIIIII-IIIIIIII-IIIIIIII-IIIIIIII");
    assertThatThrownBy(() -> PeerId.parse("\u0131".repeat(32)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a base32 letter");
    assertThatThrownBy(() -> PeerId.parse("\u017f".repeat(32)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
