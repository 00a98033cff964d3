package io.bamqp.proxy.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.security.PeerId;
import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PageActionsTest {
  private static final String ID = "MFRGGZDF-MZTWQ2LK-NNWG23TP-OBYXE43U";

  private final AtomicReference<BamqpConfig> config = new AtomicReference<>(BamqpConfig.defaults());
  private final PageActions actions =
      new PageActions(
          edit -> {
            config.updateAndGet(edit);
            return Future.succeededFuture();
          });

  @Test
  void sharingIsTurnedOnAndOffAndNothingElseChanges() {
    assertThat(actions.setSharing(true).succeeded()).isTrue();
    assertThat(config.get().sharing().enabled()).isTrue();
    assertThat(config.get().sharing().maxRateMbps())
        .isEqualTo(BamqpConfig.defaults().sharing().maxRateMbps());

    actions.setSharing(false);
    assertThat(config.get()).isEqualTo(BamqpConfig.defaults());
  }

  @Test
  void aTypedIdIsTrustedOnceAndABadOneIsRefusedWithTheReason() {
    assertThat(actions.trust(ID.toLowerCase(java.util.Locale.ROOT)).succeeded()).isTrue();
    actions.trust(ID);
    assertThat(config.get().peer().trusted()).containsExactly(PeerId.parse(ID));

    Future<Void> bad = actions.trust("router-2");
    assertThat(bad.failed()).isTrue();
    assertThat(bad.cause())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("7 letters, not 32");
  }
}
