package io.meshwarden.cli;

import java.io.PrintWriter;

/**
 * How a command that failed unexpectedly ends: exit 70 and one line that says what to do. The
 * stack trace is for us, not for the user, so it is printed only with {@code --debug}.
 */
final class Failure {
  private Failure() {}

  /** Prints the line (and with {@code debug} the stack trace) to {@code err}; returns the exit code. */
  static int report(Throwable t, boolean debug, PrintWriter err) {
    err.println(message(t));
    if (debug) {
      t.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.INTERNAL;
  }

  /** The one line for {@code t}. */
  static String message(Throwable t) {
    if (rootIs(t, OutOfMemoryError.class)) {
      long maxMb = Runtime.getRuntime().maxMemory() >> 20;
      return "meshwarden: out of memory (Java heap limit " + maxMb + " MB): run java with a larger heap, e.g."
          + " java -Xmx" + suggestedGb(maxMb) + "g -jar meshwarden.jar ..., or give it fewer manifests at once";
    }
    if (rootIs(t, StackOverflowError.class)) {
      return "meshwarden: internal error: the input nests too deeply (stack overflow); run java with a larger"
          + " thread stack, e.g. java -Xss8m -jar meshwarden.jar ..., and report it with --debug's output";
    }
    String what = t.getMessage() == null ? t.getClass().getSimpleName()
        : t.getClass().getSimpleName() + ": " + firstLine(t.getMessage());
    return "meshwarden: internal error (" + what + "); this is a bug: rerun with --debug and report the output";
  }

  /** Twice the current heap, rounded up to whole gigabytes, at least 2. */
  static long suggestedGb(long maxMb) {
    return Math.max(2, (2 * maxMb + 1023) / 1024);
  }

  private static boolean rootIs(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
