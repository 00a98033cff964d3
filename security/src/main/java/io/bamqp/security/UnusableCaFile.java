package io.bamqp.security;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file given as an origin CA ({@code security.originCaFiles}) that cannot be used: missing,
 * unreadable, or holding no PEM certificate. The message names the file and the problem, for a
 * config error or a start-up failure.
 */
public final class UnusableCaFile extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String problem;

  UnusableCaFile(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = Objects.requireNonNull(file, "file");
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** The file, as given. */
  public Path file() {
    return file;
  }

  /** What is wrong with it, without the file's name: {@code no such file}, ... */
  public String problem() {
    return problem;
  }
}
