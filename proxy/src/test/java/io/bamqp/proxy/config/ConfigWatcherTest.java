package io.bamqp.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ConfigWatcherTest {
  private final BlockingQueue<BamqpConfig> applied = new LinkedBlockingQueue<>();
  private final BlockingQueue<ConfigException> rejected = new LinkedBlockingQueue<>();

  @Test
  void anEditedFileIsAppliedAndABrokenEditIsIgnored(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bamqp.yaml");
    Files.writeString(file, "sharing: {enabled: false}\n");
    try (ConfigWatcher watcher =
        ConfigWatcher.start(file, ConfigLoader.load(file), applied::add, rejected::add)) {

      Files.writeString(file, "sharing: {enabled: true}\n");
      assertThat(applied.poll(10, TimeUnit.SECONDS).sharing().enabled()).isTrue();

      Files.writeString(file, "sharing: {enabled: maybe}\n");
      assertThat(rejected.poll(10, TimeUnit.SECONDS))
          .hasMessageStartingWith("sharing.enabled: wrong type");
      assertThat(watcher.current().sharing().enabled()).isTrue();
      // An editor's save by rename, which replaces the file under the watch.
      Path next = dir.resolve("bamqp.yaml.tmp");
      Files.writeString(next, "sharing: {enabled: true, maxRateMbps: 5}\n");
      Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

      BamqpConfig last = applied.poll(10, TimeUnit.SECONDS);
      assertThat(last.sharing().maxRateMbps()).isEqualTo(5);
      assertThat(watcher.current()).isEqualTo(last);
      assertThat(applied).as("the broken version was never applied").isEmpty();
    }
  }

  @Test
  void sectionsThatNeedARestartAreNamed() {
    BamqpConfig before = BamqpConfig.defaults();
    BamqpConfig after =
        ConfigLoader.parse(
            "proxy: {listen: 127.0.0.1:1}\nsharing: {enabled: true}\npeer: {trusted: []}\n");
    assertThat(RestartKeys.changed(before, after)).isEqualTo("proxy");
    assertThat(RestartKeys.changed(before, before)).isEmpty();
  }
}
