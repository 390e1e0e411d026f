package io.meshwarden.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * picocli checks required options before it complains about unknown ones, so {@code analyze --flie x}
 * said "Missing required option: '--file'", pointing away from the typo. When an argument is an
 * option the command does not have, that is reported first, with picocli's suggestions.
 */
final class UnknownFirst implements CommandLine.IParameterExceptionHandler {
  private final CommandLine.IParameterExceptionHandler fallback;

  UnknownFirst(CommandLine.IParameterExceptionHandler fallback) {
    this.fallback = fallback;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException ex, String[] args) throws Exception {
    if (ex instanceof CommandLine.MissingParameterException) {
      CommandLine cl = ex.getCommandLine();
      List<String> unknown = unknownOptions(cl.getCommandSpec(), args);
      if (!unknown.isEmpty()) {
        return fallback.handleParseException(new CommandLine.UnmatchedArgumentException(cl, unknown), args);
      }
    }
    return fallback.handleParseException(ex, args);
  }

  /** Arguments that look like options but are none of {@code spec}'s (nor of a parent's). */
  static List<String> unknownOptions(CommandSpec spec, String[] args) {
    return java.util.Arrays.stream(args)
        .filter(a -> a.startsWith("-") && a.length() > 1 && !a.equals("--") && !a.matches("-\\d.*"))
        .filter(a -> !known(spec, a))
        .toList();
  }

  private static boolean known(CommandSpec spec, String arg) {
    String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
    for (CommandSpec s = spec; s != null; s = s.parent()) {
      if (s.findOption(name) != null || s.subcommands().containsKey(name)) {
        return true;
      }
      // A cluster of short options (-qo json) starts with a known one.
      if (!name.startsWith("--") && name.length() > 2 && s.findOption(name.substring(0, 2)) != null) {
        return true;
      }
    }
    return false;
  }
}
