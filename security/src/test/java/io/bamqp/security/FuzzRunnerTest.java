package io.bamqp.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fuzz runner itself: edge cases first, every try counted, a failure reproducible. */
class FuzzRunnerTest {
  private static final Fuzz.Gen<String> WORDS = Fuzz.strings("ab\r\n", 0, 12);

  @Test
  void edgeCasesRunFirstThenEveryGeneratedTry() {
    List<String> seen = new ArrayList<>();
    Fuzz.check("counting", 50, List.of("edge-1", "edge-2"), WORDS, seen::add);

    assertThat(seen).hasSize(52).startsWith("edge-1", "edge-2");
  }

  @Test
  void aFailureNamesTheSeedTheTryAndTheInputThatReproduceIt() {
    List<String> seen = new ArrayList<>();
    Throwable failure =
        catchThrowable(
            () ->
                Fuzz.check(
                    "failing",
                    1000,
                    WORDS,
                    word -> {
                      seen.add(word);
                      assertThat(word).doesNotContain("\r\n");
                    }));

    assertThat(failure).isInstanceOf(AssertionError.class);
    String message = failure.getMessage();
    int tried = seen.size() - 1;
    String input = seen.get(tried);
    assertThat(message)
        .contains("property failing, seed ", "try " + tried, "\\u000d\\u000a")
        .contains("reproduce: -Dfuzz.seed=");
    long seed = Long.parseLong(message.replaceFirst("(?s).*?seed (-?\\d+),.*", "$1"));
    assertThat(WORDS.apply(Fuzz.randomFor(seed, tried))).isEqualTo(input);
  }

  @Test
  void theSameSeedDrawsTheSameInputsAndAnotherDrawsOthers() {
    SplittableRandom first = Fuzz.randomFor(42, 7);
    SplittableRandom again = Fuzz.randomFor(42, 7);
    List<String> a = WORDS.list(20, 20).apply(first);
    assertThat(WORDS.list(20, 20).apply(again)).isEqualTo(a);
    assertThat(WORDS.list(20, 20).apply(Fuzz.randomFor(43, 7))).isNotEqualTo(a);
  }

  @Test
  void splitPiecesPutBackTogetherAreTheOriginalBytes() {
    Fuzz.check(
        "splitPiecesPutBackTogetherAreTheOriginalBytes",
        200,
        random -> Fuzz.bytes(0, 40).apply(random),
        bytes -> {
          ByteArrayOutputStream joined = new ByteArrayOutputStream();
          Fuzz.split(bytes, Fuzz.cuts(8).apply(new SplittableRandom(bytes.length)))
              .forEach(joined::writeBytes);
          assertThat(joined.toByteArray()).isEqualTo(bytes);
        });
  }

  @Test
  void numbersStayInTheirRangeAndIncludeTheBounds() {
    List<Long> drawn = new ArrayList<>();
    Fuzz.check("bounds", 400, Fuzz.longs(-3, Long.MAX_VALUE), drawn::add);
    assertThat(drawn).allMatch(n -> n >= -3).contains(-3L, Long.MAX_VALUE, 0L);
    assertThatThrownBy(() -> Fuzz.check("empty", 1, List.of(1), Fuzz.ints(0, 0), n -> fail(n)))
        .hasMessageContaining("try -1")
        .hasMessageContaining("\"1\"");
  }

  private static void fail(int n) {
    throw new AssertionError("refused " + n);
  }
}
