package io.bamqp.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tests run on the node's Netty allocator: every {@code -Dio.netty.} flag of {@code
 * jvm.options} is set in this JVM too (the parent POM's {@code netty.allocator} argLine), so a
 * buffer read after it went back to the pool shows in the tests as it would on a router.
 */
class JvmOptionsTest {
  @Test
  void theTestsJvmHasTheNodesNettyFlags() throws Exception {
    List<String> flags =
        Files.readAllLines(Path.of("..", "jvm.options")).stream()
            .filter(line -> line.startsWith("-Dio.netty."))
            .toList();

    assertThat(flags).as("jvm.options configures Netty's allocator").isNotEmpty();
    for (String flag : flags) {
      String[] keyValue = flag.substring(2).split("=", 2);
      assertThat(System.getProperty(keyValue[0])).as(flag).isEqualTo(keyValue[1]);
    }
  }
}
