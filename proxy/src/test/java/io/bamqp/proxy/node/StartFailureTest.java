package io.bamqp.proxy.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.proxy.config.Endpoint;
import java.net.BindException;
import java.net.SocketException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

class StartFailureTest {
  private final String user = System.getProperty("user.name");

  @Test
  void aStateDirThisUserMayNotWriteReadsAsPermissionDeniedWithTheUser() {
    BamqpConfig config = ConfigLoader.parse("state: {dir: /x}\n");

    assertThat(StartFailure.stateDir(config, new AccessDeniedException("/x/ledger.json")))
        .hasMessage("state.dir /x/ledger.json: permission denied (running as user " + user + ")");
    assertThat(StartFailure.stateDir(config, new IllegalStateException("disk on fire")))
        .hasMessage("state.dir /x: disk on fire");
    assertThat(
            StartFailure.stateDir(
                config, new FileSystemException("/x/audit", null, "Not a directory")))
        .hasMessage("state.dir /x/audit: not a directory");
  }

  @Test
  void aListenerNamesItsSettingAndTheCauseInAFewWords() {
    Endpoint proxy = new Endpoint("0.0.0.0", 3128);

    assertThat(
            StartFailure.listener(
                "proxy.listen", proxy, new BindException("Address already in use")))
        .hasMessage("proxy.listen 0.0.0.0:3128: address in use");
    assertThat(
            StartFailure.listener(
                "peer.listen",
                new Endpoint("192.0.2.1", 7070),
                new BindException("Cannot assign requested address")))
        .hasMessage("peer.listen 192.0.2.1:7070: no interface of this machine has that address");
    assertThat(
            StartFailure.listener(
                "proxy.listen",
                new Endpoint("0.0.0.0", 80),
                new SocketException("bind(..) failed: Permission denied")))
        .hasMessage(
            "proxy.listen 0.0.0.0:80: permission denied: a port below 1024 needs"
                + " CAP_NET_BIND_SERVICE (running as user "
                + user
                + ")");
  }

  @Test
  void theHelpersAuditLogFailingToOpenIsTheStateDirsFaultNotThePeerPorts() {
    assertThat(
            StartFailure.listener(
                "peer.listen",
                new Endpoint("0.0.0.0", 7070),
                new AccessDeniedException("/var/lib/bamqp/audit")))
        .hasMessage(
            "state.dir /var/lib/bamqp/audit: permission denied (running as user " + user + ")")
        .extracting(StartFailure::setting)
        .isEqualTo("state.dir");
  }
}
