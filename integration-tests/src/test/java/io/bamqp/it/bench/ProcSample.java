package io.bamqp.it.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the kernel says about one process at one moment: open file descriptors ({@code
 * /proc/PID/fd}), threads and resident memory ({@code /proc/PID/status}), and its threads by name
 * ({@code /proc/PID/task/TID/comm}, digits dropped: {@code vert.x-worker-t}, {@code GC Thread#}).
 *
 * @param seconds since the soak started
 */
record ProcSample(
    String node, double seconds, int fds, int threads, long rssKib, Map<String, Integer> names) {

  /** Reads {@code pid}'s figures; null if it is gone (killed between two samples). */
  static ProcSample of(String node, double seconds, long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    try {
      int fds = 0;
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc.resolve("fd"))) {
        for (Path ignored : entries) {
          fds++;
        }
      }
      int threads = -1;
      long rss = -1;
      for (String line : Files.readAllLines(proc.resolve("status"))) {
        if (line.startsWith("Threads:")) {
          threads = Integer.parseInt(line.substring("Threads:".length()).trim());
        } else if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim());
        }
      }
      Map<String, Integer> names = new TreeMap<>();
      try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
        for (Path task : tasks) {
          String name = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+", "");
          names.merge(name, 1, Integer::sum);
        }
      }
      return threads < 0 || rss < 0
          ? null
          : new ProcSample(node, seconds, fds, threads, rss, names);
    } catch (IOException | RuntimeException gone) {
      return null;
    }
  }
}
