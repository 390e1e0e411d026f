package io.meshwarden.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The manifest options every command that reads a cluster shares, declared once (a picocli mixin),
 * so {@code --keep-going} means the same in each: input errors are printed as warnings, what they
 * concern is skipped, and the command goes on (and exits as it would without them).
 */
final class ManifestOptions {
  @Option(names = {"-f", "--file"}, required = true, paramLabel = "PATH",
      description = "A manifest file or directory (read recursively); '-' reads stdin. Repeatable.")
  List<String> paths = new ArrayList<>();

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = "default",
      description = "The namespace of objects that set none, as kubectl apply -n (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--keep-going", description = "Report input errors as warnings, skip what they concern and go on.")
  boolean keepGoing;
}
