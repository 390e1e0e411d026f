package io.meshwarden.model;

import java.util.Objects;

/**
 * Where an object was read from: a file (or {@code <stdin>}) and the 1-based line its document
 * starts on, so that every finding can point back at the YAML that caused it.
 */
public record Origin(String file, int line) {
  public static final Origin UNKNOWN = new Origin("<unknown>", 0);

  public Origin {
    Objects.requireNonNull(file, "file");
  }

  @Override
  public String toString() {
    return line > 0 ? file + ":" + line : file;
  }
}
