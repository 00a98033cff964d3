package io.bamqp.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rooms of the router daemon and which way their doors open, as ARCHITECTURE.md draws them:
 * read from the sources, so a new import across a wall fails the build instead of going unseen.
 */
class ArchitectureTest {
  private static final Path SOURCES = Path.of("src/main/java/io/bamqp/proxy");

  /** Room → the rooms of this module it may use. Other modules' APIs are checked by Maven. */
  private static final Map<String, Set<String>> MAY_USE =
      Map.of(
          "cdn", Set.of(),
          "config", Set.of("cdn"),
          "aggregation", Set.of("cdn"),
          "sharing", Set.of("config"),
          "stats", Set.of("aggregation"),
          "forward", Set.of("aggregation", "cdn", "sharing"),
          "node", Set.of("aggregation", "cdn", "config", "forward", "sharing", "stats"),
          "demo", Set.of("aggregation", "config", "node"),
          "cli", Set.of("aggregation", "cdn", "config", "demo", "node"));

  private static final Pattern ROOM_REFERENCE = Pattern.compile("\\bio\\.bamqp\\.proxy\\.(\\w+)");
  private static final Pattern BAMQP_REFERENCE = Pattern.compile("\\bio\\.bamqp\\.(\\w+)\\.");

  @Test
  void everyRoomUsesOnlyTheRoomsBelowIt() {
    List<String> crossings = new ArrayList<>();
    for (Path file : sources()) {
      String room = roomOf(file);
      assertThat(MAY_USE).as("the room of %s is drawn", file).containsKey(room);
      Matcher reference = ROOM_REFERENCE.matcher(read(file));
      while (reference.find()) {
        String used = reference.group(1);
        if (!used.equals(room) && !MAY_USE.get(room).contains(used)) {
          crossings.add(SOURCES.relativize(file) + " uses " + used);
        }
      }
    }
    assertThat(crossings).isEmpty();
  }

  @Test
  void onlyTheNodeAndTheCommandLineReadTheWholeConfig() {
    List<String> readers = new ArrayList<>();
    for (Path file : sources()) {
      String room = roomOf(file);
      boolean mayRead = Set.of("config", "node", "cli", "demo").contains(room);
      if (!mayRead && read(file).matches("(?s).*\\b(BamqpConfig|ConfigLoader)\\b.*")) {
        readers.add(SOURCES.relativize(file).toString());
      }
    }
    assertThat(readers).isEmpty();
  }

  @Test
  void nothingButTheDemoImportsTheTestBed() {
    List<String> users = new ArrayList<>();
    for (Path file : sources()) {
      Matcher reference = BAMQP_REFERENCE.matcher(read(file));
      while (reference.find()) {
        if (reference.group(1).equals("testbed") && !roomOf(file).equals("demo")) {
          users.add(SOURCES.relativize(file).toString());
        }
      }
    }
    assertThat(users).isEmpty();
  }

  private static String roomOf(Path file) {
    Path relative = SOURCES.relativize(file);
    return relative.getNameCount() > 1 ? relative.getName(0).toString() : "";
  }

  private static List<Path> sources() {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      List<Path> java = files.filter(f -> f.toString().endsWith(".java")).toList();
      assertThat(java).as("sources under %s", SOURCES.toAbsolutePath()).isNotEmpty();
      return java;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
