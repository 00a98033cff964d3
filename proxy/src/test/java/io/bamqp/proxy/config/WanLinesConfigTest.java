package io.bamqp.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bamqp.proxy.aggregation.WanLine;
import io.bamqp.proxy.node.ConfigMapping;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code wan.lines}: several own lines, the first primary, and the one-line shorthand. */
class WanLinesConfigTest {
  private static final String TWO_LINES =
      """
      wan:
        lines:
          - {name: dsl, bindAddress: 192.168.1.2, rateMbps: 16}
          - {name: lte, bindAddress: 10.64.0.2, rateMbps: 40, metered: true, monthlyCap: 30GiB}
      """;

  @Test
  void theShorthandIsOneLineNamedWan() {
    BamqpConfig config = ConfigLoader.parse("wan: {bindAddress: 192.168.1.2, lineRateMbps: 16}\n");

    assertThat(ConfigMapping.lines(config))
        .containsExactly(WanLine.unmetered("wan", "192.168.1.2", 2_000_000));
  }

  @Test
  void linesAreReadThePrimaryFirstAndItBindsTheProxysOwnTraffic() {
    BamqpConfig config = ConfigLoader.parse(TWO_LINES);

    assertThat(config.wan().bindAddress()).isEqualTo("192.168.1.2");
    assertThat(config.wan().lineRateMbps()).isEqualTo(16.0);
    assertThat(ConfigMapping.proxy(config).bindAddress()).isEqualTo("192.168.1.2");
    assertThat(ConfigMapping.lines(config))
        .containsExactly(
            WanLine.unmetered("dsl", "192.168.1.2", 2_000_000),
            new WanLine("lte", "10.64.0.2", 5_000_000, true, 30L << 30, 100L << 20));
  }

  @Test
  void badLinesAreRefusedNamingTheKey() {
    List<String[]> cases =
        List.of(
            new String[] {
              "[{name: a, bindAddress: 10.0.0.1, rateMbps: 5}, {name: a, bindAddress: 10.0.0.2,"
                  + " rateMbps: 5}]",
              "wan.lines[1].name: 'a' is used twice"
            },
            new String[] {
              "[{name: a, bindAddress: 10.0.0.1, rateMbps: 5}, {name: b, bindAddress: 10.0.0.1,"
                  + " rateMbps: 5}]",
              "wan.lines[1].bindAddress: 10.0.0.1 is another line's already"
            },
            new String[] {
              "[{name: a, bindAddress: lte.lan, rateMbps: 5}]",
              "wan.lines[0].bindAddress: must be a numeric IP address"
            },
            new String[] {
              "[{name: a, bindAddress: 0.0.0.0, rateMbps: 5}]",
              "wan.lines[0].bindAddress: 0.0.0.0 is the wildcard"
            },
            new String[] {
              "[{name: a, bindAddress: 10.0.0.0/8, rateMbps: 5}]",
              "wan.lines[0].bindAddress: is an address, not a CIDR block"
            },
            new String[] {
              "[{name: a, bindAddress: 10.0.0.1, rateMbps: 0}]",
              "wan.lines[0].rateMbps: must be in (0, 100000]"
            },
            new String[] {
              "[{name: a, bindAddress: 10.0.0.1}]", "wan.lines[0].rateMbps: is required"
            },
            new String[] {
              "[{name: LTE 1, bindAddress: 10.0.0.1, rateMbps: 5}]",
              "wan.lines[0].name: 'LTE 1' must be 1-16 lower-case letters"
            },
            new String[] {
              "[{name: home, bindAddress: 10.0.0.1, rateMbps: 5}]", "wan.lines[0].name: 'home'"
            },
            new String[] {
              "[{name: lte, bindAddress: 10.0.0.1, rateMbps: 5, metered: true}]",
              "wan.lines[0].metered: the first line is the primary"
            },
            new String[] {
              "[{name: a, bindAddress: 10.0.0.1, rateMbps: 5}, {name: b, bindAddress: 10.0.0.2,"
                  + " rateMbps: 5, monthlyCap: 1GiB}]",
              "wan.lines[1].monthlyCap: applies to metered lines only"
            },
            new String[] {
              "[{name: a, bindAddress: 10.0.0.1, rateMbps: 5}, {name: b, bindAddress: 10.0.0.2,"
                  + " rateMbps: 5, metered: true, monthlyCap: 0}]",
              "wan.lines[1].monthlyCap: must be more than 0"
            });
    for (String[] bad : cases) {
      assertThatThrownBy(() -> ConfigLoader.parse("wan:\n  lines: " + bad[0] + "\n"))
          .as(bad[0])
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith(bad[1]);
    }
  }

  @Test
  void theShorthandAndLinesMustAgreeOnThePrimary() {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "wan:\n  bindAddress: 10.0.0.9\n"
                        + "  lines: [{name: a, bindAddress: 10.0.0.1, rateMbps: 5}]\n"))
        .hasMessageStartingWith("wan.bindAddress: is 10.0.0.9 but wan.lines[0].bindAddress is");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "wan:\n  lineRateMbps: 50\n"
                        + "  lines: [{name: a, bindAddress: 10.0.0.1, rateMbps: 5}]\n"))
        .hasMessageStartingWith("wan.lineRateMbps: is 50.0 but wan.lines[0].rateMbps is 5.0");
  }
}
