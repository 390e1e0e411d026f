package io.meshwarden.finding;

import java.util.ArrayList;
import java.util.List;

/** Runs every detector and returns the findings sorted most severe first. Pure. */
public final class FindingsEngine {
  private static final List<FindingDetector> DETECTORS = List.of(
      new AllowedButUnobservedDetector(),
      new NoDefaultDenyDetector(),
      new ExternalExposureDetector(),
      new LateralMovementDetector(),
      new WouldBreakDetector(),
      new OverBroadRuleDetector());

  private FindingsEngine() {}

  public static List<Finding> run(AnalysisInput input) {
    List<Finding> out = new ArrayList<>();
    for (FindingDetector d : DETECTORS) {
      out.addAll(d.detect(input));
    }
    out.sort(Finding.ORDER);
    return List.copyOf(out);
  }

  /** The rules the engine checks, in id order (for SARIF's rule table). */
  public static List<Rule> rules() {
    return List.of(Rule.values());
  }
}
