package io.bamqp.proxy.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bamqp.proxy.aggregation.BufferBudget;
import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigException;
import io.bamqp.proxy.config.ConfigLoader;
import org.junit.jupiter.api.Test;

class ConfigMappingTest {
  private static final long MIB = 1L << 20;

  private static BamqpConfig budget(String size) {
    return ConfigLoader.parse("aggregation:\n  totalBufferBytes: " + size + "\n");
  }

  @Test
  void aReorderBudgetUpToHalfTheJvmsDirectMemoryIsTaken() {
    assertThat(ConfigMapping.totalBufferBytes(budget("64MiB"), 128 * MIB)).isEqualTo(64 * MIB);
  }

  @Test
  void aReorderBudgetOverHalfTheJvmsDirectMemoryIsRefusedNamingTheKeyAndTheRemedy() {
    assertThatThrownBy(() -> ConfigMapping.totalBufferBytes(budget("65MiB"), 128 * MIB))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "aggregation.totalBufferBytes: 65MiB is more than half of this JVM's direct memory"
                + " (128.0 MiB: -XX:MaxDirectMemorySize, by default -Xmx)")
        .hasMessageContaining("lower it, or give the JVM more in BAMQP_JAVA_OPTS");
  }

  @Test
  void noBudgetSetIsAQuarterOfTheHeapWhateverTheDirectMemory() {
    assertThat(ConfigMapping.totalBufferBytes(ConfigLoader.parse("aggregation: {}\n"), 4 * MIB))
        .isEqualTo(BufferBudget.fromHeap(Runtime.getRuntime().maxMemory()));
  }
}
