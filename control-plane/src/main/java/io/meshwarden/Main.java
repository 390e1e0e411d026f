package io.meshwarden;

import io.meshwarden.cli.MeshwardenCommand;

/** The {@code meshwarden} executable: wiring only, the commands live in {@code io.meshwarden.cli}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(MeshwardenCommand.run(args, System.in, System.out, System.err));
  }
}
