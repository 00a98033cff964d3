package io.bamqp.security;

import static io.bamqp.security.NonceCache.Verdict.FRESH;
import static io.bamqp.security.NonceCache.Verdict.OUTSIDE_WINDOW;
import static io.bamqp.security.NonceCache.Verdict.REPLAYED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class NonceCacheTest {
  private static final PeerId A = Identity.generate().id();
  private static final PeerId B = Identity.generate().id();
  private static final long NOW = 1_700_000_000_000L;

  @Test
  void aNonceIsAcceptedOnceAndItsReplayIsRefused() {
    NonceCache cache = new NonceCache();

    assertThat(cache.check(A, nonce(1), NOW, NOW)).isEqualTo(FRESH);
    assertThat(cache.check(A, nonce(1), NOW, NOW + 10)).isEqualTo(REPLAYED);
    assertThat(cache.check(B, nonce(1), NOW, NOW + 10)).isEqualTo(FRESH);
  }

  @Test
  void aTimeOutsideTheWindowIsRefusedEitherWay() {
    NonceCache cache = new NonceCache();
    long window = NonceCache.DEFAULT_WINDOW.toMillis();

    assertThat(cache.check(A, nonce(1), NOW - window - 1, NOW)).isEqualTo(OUTSIDE_WINDOW);
    assertThat(cache.check(A, nonce(2), NOW + window + 1, NOW)).isEqualTo(OUTSIDE_WINDOW);
    assertThat(cache.check(A, nonce(3), NOW - window, NOW)).isEqualTo(FRESH);
  }

  @Test
  void nonceOlderThanTheWindowAreForgottenAndStillRefusedByTime() {
    NonceCache cache = new NonceCache(Duration.ofSeconds(1), 100);
    cache.check(A, nonce(1), NOW, NOW);

    assertThat(cache.check(A, nonce(2), NOW + 1_500, NOW + 1_500)).isEqualTo(FRESH);
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.check(A, nonce(1), NOW, NOW + 1_500)).isEqualTo(OUTSIDE_WINDOW);
  }

  @Test
  void aFullCacheShrinksItsWindowAndNeverAcceptsAReplay() {
    NonceCache cache = new NonceCache(Duration.ofSeconds(60), 3);
    for (int i = 0; i < 3; i++) {
      assertThat(cache.check(A, nonce(i), NOW + i, NOW)).isEqualTo(FRESH);
    }

    assertThat(cache.check(A, nonce(9), NOW + 9, NOW)).isEqualTo(FRESH);

    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.check(A, nonce(0), NOW, NOW)).isEqualTo(OUTSIDE_WINDOW);
    assertThat(cache.check(A, nonce(9), NOW + 9, NOW)).isEqualTo(REPLAYED);
  }

  private static byte[] nonce(int n) {
    byte[] nonce = new byte[RequestSignature.NONCE_BYTES];
    nonce[0] = (byte) n;
    return nonce;
  }
}
