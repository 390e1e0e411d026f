package io.meshwarden.cli;

/** Lets tests in other packages run the command line. */
public final class MeshwardenCommandTestAccess {
  private MeshwardenCommandTestAccess() {}

  public static int run(String... args) {
    return MeshwardenCommandTest.run(args).code();
  }
}
