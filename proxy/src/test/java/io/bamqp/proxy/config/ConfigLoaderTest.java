package io.bamqp.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bamqp.security.Cidr;
import io.bamqp.security.PeerId;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @Test
  void emptyFileMeansEveryDefault() {
    assertThat(ConfigLoader.parse("# only a comment\n")).isEqualTo(BamqpConfig.defaults());
    BamqpConfig config = ConfigLoader.parse("");

    assertThat(config).isEqualTo(BamqpConfig.defaults());
    assertThat(config.proxy().listen()).isEqualTo(new Endpoint("0.0.0.0", 3128));
    assertThat(config.proxy().connectPorts()).containsExactly(443);
    assertThat(config.proxy().allowedClients()).contains(Cidr.parse("192.168.0.0/16"));
    assertThat(config.wan().bindsSourceAddress()).isFalse();
    assertThat(config.log().level()).isEqualTo("info");
  }

  @Test
  void everyKeyIsRead() {
    BamqpConfig config =
        ConfigLoader.parse(
            """
            proxy:
              listen: "[::1]:8080"
              allowedClients: [10.1.0.0/16, "fd00::/8"]
              connectPorts: [443, 8443]
              maxHeaderSize: 32KiB
              maxUriLength: 4096
              connectTimeout: 1500ms
              originTimeout: 2m
              idleTimeout: 1h
              headerTimeout: 5s
              maxClientConnections: 10
              maxConnectionsPerClient: 3
              maxConnectionsPerOrigin: 4
            wan:
              bindAddress: 127.0.0.11
            log:
              level: DEBUG
            """);

    BamqpConfig.Proxy proxy = config.proxy();
    assertThat(proxy.listen()).isEqualTo(new Endpoint("::1", 8080));
    assertThat(proxy.allowedClients())
        .containsExactly(Cidr.parse("10.1.0.0/16"), Cidr.parse("fd00::/8"));
    assertThat(proxy.connectPorts()).containsExactly(443, 8443);
    assertThat(proxy.maxHeaderSize().bytes()).isEqualTo(32 * 1024);
    assertThat(proxy.maxUriLength().bytes()).isEqualTo(4096);
    assertThat(proxy.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(proxy.originTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(proxy.idleTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(proxy.headerTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(proxy.maxClientConnections()).isEqualTo(10);
    assertThat(proxy.maxConnectionsPerClient()).isEqualTo(3);
    assertThat(proxy.maxConnectionsPerOrigin()).isEqualTo(4);
    assertThat(config.wan().bindAddress()).isEqualTo("127.0.0.11");
    assertThat(config.wan().bindsSourceAddress()).isTrue();
    assertThat(config.log().level()).isEqualTo("debug");
  }

  private static final String ALICE = "MFRGGZDF-MZTWQ2LK-NNWG23TP-OBYXE43U";
  private static final String MALLORY = "MFRGGZDF-MZTWQ2LK-NNWG23TP-OBYXE43V";

  @Test
  void aggregationPeersSharingAndSecurityAreRead() {
    BamqpConfig config =
        ConfigLoader.parse(
            """
            wan: {lineRateMbps: 100}
            aggregation: {minBytes: 4MiB, bufferBytes: 16MiB, stallTimeout: 2s}
            peer:
              listen: 192.168.1.1:7432
              static:
                - {id: %s, address: "192.168.1.20:7432"}
                - {id: %s, address: "192.168.1.66:7432"}
              trusted: [%s]
            sharing: {enabled: true, maxRateMbps: 25, maxConcurrentJobs: 3}
            security: {allowDestinations: [192.168.1.5/32]}
            """
                .formatted(ALICE, MALLORY, ALICE.toLowerCase(java.util.Locale.ROOT)));

    assertThat(config.wan().lineBytesPerSecond()).isEqualTo(12_500_000);
    assertThat(config.aggregation().minBytes().bytes()).isEqualTo(4 << 20);
    assertThat(config.aggregation().stallTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.peer().usablePeers())
        .containsExactly(
            new BamqpConfig.StaticPeer(PeerId.parse(ALICE), Endpoint.parse("192.168.1.20:7432")));
    assertThat(config.sharing().enabled()).isTrue();
    assertThat(config.security().allowDestinations()).containsExactly(Cidr.parse("192.168.1.5"));
    assertThatThrownBy(() -> ConfigLoader.parse("peer:\n  static: [{address: \"1.2.3.4:1\"}]\n"))
        .hasMessageStartingWith("peer.static[0].id: every static peer needs its peer ID");
    assertThatThrownBy(() -> ConfigLoader.parse("peer:\n  trusted: [alice]\n"))
        .hasMessageStartingWith("peer.trusted[0]: peer ID 'alice' has 5 letters, not 32");
    assertThatThrownBy(() -> ConfigLoader.parse("sharing:\n  maxRateMbps: 0\n"))
        .hasMessage("sharing.maxRateMbps: must be in (0, 100000]");
    assertThatThrownBy(() -> ConfigLoader.parse("aggregation:\n  bufferBytes: 1KiB\n"))
        .hasMessageStartingWith("aggregation.bufferBytes: 1KiB is outside");
    assertThatThrownBy(() -> ConfigLoader.parse("aggregation:\n  totalBufferBytes: 1MiB\n"))
        .hasMessageStartingWith("aggregation.totalBufferBytes: 1MiB is outside 4MiB-64GiB");
    assertThat(
            ConfigLoader.parse("aggregation:\n  totalBufferBytes: 8MiB\n")
                .aggregation()
                .totalBufferBytes()
                .bytes())
        .isEqualTo(8 << 20);
  }

  @Test
  void trustPrivacySharingCapsDiscoveryStatsAndStateAreRead() {
    BamqpConfig config =
        ConfigLoader.parse(
            """
            aggregation: {credentialedDomains: [Downloads.Example.com], spotCheckRatio: 0.05}
            sharing:
              maxRateMbps: 20
              sharePercent: 50
              offPeak: 22:00-06:00
              monthlyCap: 200GiB
              peerMonthlyCap: 50GiB
              yieldFloorMbps: 1
            discovery: {mdns: false, advertiseAddresses: [192.168.1.1]}
            security: {auditRetentionDays: 30, auditMaxBytes: 8MiB}
            stats: {listen: 0.0.0.0:9000, token: abcdefghijklmnopq, historySize: 10}
            state: {dir: /var/lib/bamqp}
            """);

    assertThat(config.aggregation().credentialedDomains()).containsExactly("downloads.example.com");
    assertThat(config.aggregation().spotCheckRatio()).isEqualTo(0.05);
    assertThat(config.sharing().rateMbps(30)).isEqualTo(15);
    assertThat(config.sharing().rateMbps(100)).isEqualTo(20);
    assertThat(config.sharing().offPeak().contains(java.time.LocalTime.of(23, 0))).isTrue();
    assertThat(config.sharing().offPeak().contains(java.time.LocalTime.of(12, 0))).isFalse();
    assertThat(config.sharing().monthlyCap()).isEqualTo(ByteSize.parse("200GiB"));
    assertThat(config.sharing().peerMonthlyCap()).isEqualTo(ByteSize.parse("50GiB"));
    assertThat(config.discovery().mdns()).isFalse();
    assertThat(config.discovery().advertiseAddresses()).containsExactly("192.168.1.1");
    assertThat(config.security().auditRetentionDays()).isEqualTo(30);
    assertThat(config.security().auditMaxBytes()).isEqualTo(ByteSize.parse("8MiB"));
    assertThat(config.stats().listen()).isEqualTo(new Endpoint("0.0.0.0", 9000));
    assertThat(config.stats().token()).isEqualTo("abcdefghijklmnopq");
    assertThat(config.state().path()).isEqualTo(java.nio.file.Path.of("/var/lib/bamqp"));
    BamqpConfig defaults = BamqpConfig.defaults();
    assertThat(defaults.sharing().offPeak()).isEqualTo(DailyWindow.ALWAYS);
    assertThat(defaults.sharing().monthlyCap()).isNull();
    assertThat(defaults.stats().listen()).isEqualTo(new Endpoint("127.0.0.1", 8088));
    assertThat(defaults.stats().token()).isNull();
    assertThat(defaults.state().dir()).isEqualTo("./bamqp-state");
  }

  @Test
  void badTrustAndSharingValuesAreNamed() {
    assertThatThrownBy(() -> ConfigLoader.parse("sharing: {offPeak: nightly}\n"))
        .hasMessage("sharing.offPeak: 'nightly' is not a daily window like 01:00-07:00");
    assertThatThrownBy(() -> ConfigLoader.parse("sharing: {sharePercent: 150}\n"))
        .hasMessage("sharing.sharePercent: must be in 1-100");
    assertThatThrownBy(() -> ConfigLoader.parse("stats: {token: short}\n"))
        .hasMessageStartingWith("stats.token: must be at least 16 characters");
    assertThatThrownBy(() -> ConfigLoader.parse("aggregation: {credentialedDomains: [a/b]}\n"))
        .hasMessageStartingWith("aggregation.credentialedDomains[0]: 'a/b' is not a domain");
    assertThatThrownBy(() -> ConfigLoader.parse("aggregation: {spotCheckRatio: 2}\n"))
        .hasMessage("aggregation.spotCheckRatio: must be in [0, 1]");
    assertThatThrownBy(() -> ConfigLoader.parse("discovery: {advertiseAddresses: [lan0]}\n"))
        .hasMessageStartingWith("discovery.advertiseAddresses[0]: must be a numeric IP address");
  }

  @Test
  void originCaFilesAreReadAndDefaultToNone(@TempDir Path dir) throws Exception {
    Path ca =
        Files.copy(
            Path.of(SelfSignedCertificate.create().certificatePath()), dir.resolve("ca.pem"));

    BamqpConfig config = ConfigLoader.parse("security: {originCaFiles: ['" + ca + "']}\n");

    assertThat(config.security().originCaPaths()).containsExactly(ca);
    assertThat(BamqpConfig.defaults().security().originCaFiles()).isEmpty();
  }

  @Test
  void anOriginCaFileThatIsMissingOrNotAPemCertificateIsNamedWithItsProblem(@TempDir Path dir)
      throws Exception {
    Path missing = dir.resolve("missing.pem");
    Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAA==\n");
    Path ca =
        Files.copy(
            Path.of(SelfSignedCertificate.create().certificatePath()), dir.resolve("ca.pem"));

    assertThatThrownBy(() -> ConfigLoader.parse("security: {originCaFiles: ['" + missing + "']}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("security.originCaFiles[0]: " + missing + ": no such file");
    assertThatThrownBy(
            () -> ConfigLoader.parse("security: {originCaFiles: ['" + ca + "', '" + key + "']}\n"))
        .hasMessage(
            "security.originCaFiles[1]: "
                + key
                + ": not a PEM certificate (no -----BEGIN CERTIFICATE----- line in it)");
    assertThatThrownBy(() -> ConfigLoader.parse("security: {originCaFiles: ['" + dir + "']}\n"))
        .hasMessage("security.originCaFiles[0]: " + dir + ": is a directory, not a PEM file");
    assertThatThrownBy(() -> ConfigLoader.parse("security: {originCaFiles: ['']}\n"))
        .hasMessage("security.originCaFiles[0]: must name a PEM file");
    assertThatThrownBy(() -> ConfigLoader.parse("security: {originCaFiles: " + ca + "}\n"))
        .hasMessage("security.originCaFiles: wrong type: expected a list like [a, b]");
  }

  @Test
  void anAuditCapBelowOneMebibyteIsRefusedByName() {
    assertThatThrownBy(() -> ConfigLoader.parse("security: {auditMaxBytes: 64KiB}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("security.auditMaxBytes: must be at least 1MiB");
  }

  @Test
  void unknownKeyIsNamedWithTheKeysThatWouldBeRight() {
    assertThatThrownBy(() -> ConfigLoader.parse("proxy:\n  lisen: 127.0.0.1:1\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("proxy.lisen: unknown key")
        .hasMessageContaining("listen");
    assertThatThrownBy(() -> ConfigLoader.parse("proxyy: {}\n"))
        .hasMessageStartingWith("proxyy: unknown key");
  }

  @Test
  void wrongTypesAreNamed() {
    assertThatThrownBy(() -> ConfigLoader.parse("proxy:\n  maxConnectionsPerClient: 0\n"))
        .hasMessage("proxy.maxConnectionsPerClient: must be at least 1");
    assertThatThrownBy(() -> ConfigLoader.parse("proxy:\n  headerTimeout: 0s\n"))
        .hasMessage("proxy.headerTimeout: must be longer than 0");
    assertThatThrownBy(() -> ConfigLoader.parse("proxy:\n  maxClientConnections: lots\n"))
        .hasMessage("proxy.maxClientConnections: wrong type: expected a whole number");
    assertThatThrownBy(() -> ConfigLoader.parse("proxy:\n  allowedClients: 10.0.0.0/8\n"))
        .hasMessage("proxy.allowedClients: wrong type: expected a list like [a, b]");
    assertThatThrownBy(() -> ConfigLoader.parse("proxy:\n  connectTimeout: 10\n"))
        .hasMessage("proxy.connectTimeout: wrong type: expected a duration like 10s");
    assertThatThrownBy(() -> ConfigLoader.parse("proxy: yes\n"))
        .hasMessageStartingWith("proxy: wrong type");
  }

  @Test
  void badValuesAreNamedWithTheProblem() {
    assertThatThrownBy(() -> ConfigLoader.parse("proxy:\n  listen: nowhere\n"))
        .hasMessage("proxy.listen[0]: 'nowhere' is not host:port");
    assertThatThrownBy(() -> ConfigLoader.parse("proxy:\n  allowedClients: [10.0.0.0/40]\n"))
        .hasMessage("proxy.allowedClients[0]: '10.0.0.0/40' has prefix length 40, more than 32");
    assertThatThrownBy(() -> ConfigLoader.parse("proxy:\n  connectPorts: [0]\n"))
        .hasMessage("proxy.connectPorts: port 0 is outside 1-65535");
    assertThatThrownBy(() -> ConfigLoader.parse("proxy:\n  connectTimeout: 0s\n"))
        .hasMessage("proxy.connectTimeout: must be longer than 0");
    assertThatThrownBy(() -> ConfigLoader.parse("proxy:\n  idleTimeout: soon\n"))
        .hasMessageStartingWith("proxy.idleTimeout: 'soon' is not a duration");
    assertThatThrownBy(() -> ConfigLoader.parse("proxy:\n  maxHeaderSize: 8 parsecs\n"))
        .hasMessageStartingWith("proxy.maxHeaderSize: '8 parsecs' is not a size");
    assertThatThrownBy(() -> ConfigLoader.parse("proxy:\n  maxHeaderSize: 2GiB\n"))
        .hasMessageStartingWith("proxy.maxHeaderSize: 2GiB is outside");
    assertThatThrownBy(() -> ConfigLoader.parse("wan:\n  bindAddress: router.lan\n"))
        .hasMessageStartingWith("wan.bindAddress: must be a numeric IP address");
    assertThatThrownBy(() -> ConfigLoader.parse("log:\n  level: chatty\n"))
        .hasMessage("log.level: 'chatty' is not one of error, warn, info, debug");
  }

  @Test
  void duplicateKeysAndBrokenYamlAreRefused() {
    assertThatThrownBy(
            () -> ConfigLoader.parse("proxy:\n  listen: 1.2.3.4:1\n  listen: 1.2.3.4:2\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("listen");
    assertThatThrownBy(() -> ConfigLoader.parse("proxy:\n  listen: 'open\n"))
        .hasMessageStartingWith("not valid YAML");
  }

  @Test
  void missingFileIsNamed(@TempDir Path dir) {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("absent.yaml")))
        .hasMessageStartingWith("no config file at");
  }

  @Test
  void theShippedExampleConfigIsValidAndMatchesTheDefaults() throws Exception {
    Path example = Path.of("..", "bamqp.example.yaml");
    assertThat(example).exists();

    BamqpConfig config = ConfigLoader.load(example);

    assertThat(config.proxy()).isEqualTo(BamqpConfig.defaults().proxy());
    assertThat(config).isEqualTo(BamqpConfig.defaults());
    assertThat(Files.readString(example)).contains("allowedClients");
  }

  @Test
  void sizesAndDurationsReadTheirUnits() {
    assertThat(ByteSize.parse("64KiB").bytes()).isEqualTo(65536);
    assertThat(ByteSize.parse("8MB").bytes()).isEqualTo(8_000_000);
    assertThat(ByteSize.parse("1GiB")).hasToString("1GiB");
    assertThat(Timeout.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(List.of(Endpoint.parse("0.0.0.0:3128").port())).containsExactly(3128);
  }
}
