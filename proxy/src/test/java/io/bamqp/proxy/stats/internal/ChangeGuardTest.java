package io.bamqp.proxy.stats.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChangeGuardTest {
  private static final String TOKEN = "correct-horse-battery-staple";
  private static final String HOST = "192.168.1.1:8088";
  private final ChangeGuard guard = new ChangeGuard(TOKEN);

  @Test
  void withoutAConfiguredTokenEveryChangeIsForbiddenWithAHint() {
    ChangeGuard.Refusal refusal = new ChangeGuard(null).check(null, HOST, "Bearer " + TOKEN);

    assertThat(refusal.status()).isEqualTo(403);
    assertThat(refusal.message()).contains("set stats.token");
  }

  @Test
  void aMissingOrWrongTokenIsUnauthorized() {
    assertThat(guard.check(null, HOST, null).status()).isEqualTo(401);
    assertThat(guard.check(null, HOST, "Basic " + TOKEN).status()).isEqualTo(401);
    assertThat(guard.check(null, HOST, "Bearer " + TOKEN + "x").status()).isEqualTo(401);
    assertThat(guard.check(null, HOST, "Bearer short").status()).isEqualTo(401);
  }

  @Test
  void aForeignOriginIsForbiddenEvenWithTheRightToken() {
    ChangeGuard.Refusal refusal = guard.check("https://evil.example", HOST, "Bearer " + TOKEN);

    assertThat(refusal.status()).isEqualTo(403);
    assertThat(refusal.message()).contains("cross-origin");
    assertThat(guard.check("null", HOST, "Bearer " + TOKEN).status()).isEqualTo(403);
  }

  @Test
  void theRightTokenFromThePageItselfOrACommandLineIsAccepted() {
    assertThat(guard.check("http://" + HOST, HOST, "Bearer " + TOKEN)).isNull();
    assertThat(guard.check(null, HOST, "bearer " + TOKEN)).isNull();
  }
}
