package io.bamqp.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.Identity;
import org.junit.jupiter.api.Test;

class ConfigPrinterTest {
  @Test
  void everyKeyPrintsInTheFilesOwnFormAndReadsBackEqual() {
    String id = Identity.generate().id().toString();
    BamqpConfig config =
        ConfigLoader.parse(
            """
            proxy:
              listen: "[::1]:3128"
              allowedClients: [192.168.1.0/24, "fd00::/8"]
              connectTimeout: 1500ms
            aggregation:
              minBytes: 3MiB
              totalBufferBytes: 64MiB
              credentialedDomains: [example.com]
            peer:
              trusted: [%s]
              static: [{id: %s, address: "10.0.0.2:7070"}]
            sharing:
              offPeak: 01:00-07:00
              monthlyCap: 20GiB
            stats:
              token: 0123456789abcdef-secret
            log:
              file: /tmp/bamqp.log
              maxBytes: 1MiB
            """
                .formatted(id, id));

    String unmasked = ConfigPrinter.unmasked(config);
    assertThat(ConfigLoader.parse(unmasked)).isEqualTo(config);
    assertThat(unmasked)
        .contains("connectTimeout: 1500ms")
        .contains("offPeak: 01:00-07:00")
        .contains("- fd00::/8");

    String masked = ConfigPrinter.masked(config);
    assertThat(masked).contains("token: " + ConfigPrinter.MASK).doesNotContain("secret");
  }

  @Test
  void theDefaultsReadBackEqualAndAnUnsetTokenStaysUnset() {
    String printed = ConfigPrinter.masked(BamqpConfig.defaults());

    assertThat(ConfigLoader.parse(printed)).isEqualTo(BamqpConfig.defaults());
    assertThat(printed).doesNotContain("token").contains("offPeak: 00:00-00:00");
  }
}
