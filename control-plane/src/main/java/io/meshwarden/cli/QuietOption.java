package io.meshwarden.cli;

import picocli.CommandLine.Option;

/**
 * {@code -q}, declared once for every command that prints warnings and notes on stderr (a picocli
 * mixin), so it reads and behaves the same everywhere. Errors that stop a command are never quiet.
 */
final class QuietOption {
  @Option(names = {"-q", "--quiet"}, description = "Do not print warnings and notes on stderr.")
  boolean quiet;
}
