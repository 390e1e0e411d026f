package io.meshwarden.cli;

/** Process exit codes, documented in the README. */
final class ExitCodes {
  /** Success; for checks, nothing at or above the threshold. */
  static final int OK = 0;
  /** A check failed: findings at or above {@code --fail-on}, or flows a policy would deny. */
  static final int CHECK_FAILED = 1;
  /**
   * explain: the verdict depends on what is not known (a JWT claim, a header) or an external
   * authorizer (Istio CUSTOM) decides; neither allowed nor denied can be promised.
   */
  static final int UNDECIDED = 4;
  /** The command line was wrong. */
  static final int USAGE = 2;
  /** Input could not be read or understood (malformed manifest, missing file). */
  static final int BAD_INPUT = 3;
  /** An unexpected internal error. */
  static final int INTERNAL = 70;

  private ExitCodes() {}
}
