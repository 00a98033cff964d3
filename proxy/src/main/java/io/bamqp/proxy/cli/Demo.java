package io.bamqp.proxy.cli;

import java.io.PrintStream;
import java.util.List;

/** {@code bamqp demo}: filled in once the test bed origin lands. */
final class Demo {
  private Demo() {}

  static int run(List<String> args, PrintStream out) {
    out.println("demo pending");
    return Main.FAILED;
  }
}
