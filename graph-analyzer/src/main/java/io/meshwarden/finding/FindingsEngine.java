package io.meshwarden.finding;

import io.meshwarden.model.Origin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs every detector, folds findings about the same policy rule into one (one finding per
 * problem), and returns them sorted most severe first. Pure.
 */
public final class FindingsEngine {
  private static final List<FindingDetector> DETECTORS = List.of(
      new AllowedButUnobservedDetector(),
      new NoDefaultDenyDetector(),
      new ExternalExposureDetector(),
      new LateralMovementDetector(),
      new WouldBreakDetector(),
      new OverBroadRuleDetector(),
      new SelectsNothingDetector(),
      new AnyAddressDetector(),
      new AmbiguousPriorityDetector());

  private FindingsEngine() {}

  public static List<Finding> run(AnalysisInput input) {
    List<Finding> out = new ArrayList<>();
    for (FindingDetector d : DETECTORS) {
      out.addAll(d.detect(input));
    }
    out = merge(out);
    out.sort(Finding.ORDER);
    return List.copyOf(out);
  }

  /** The rules the engine checks, in id order (for SARIF's rule table). */
  public static List<Rule> rules() {
    return List.of(Rule.values());
  }

  /**
   * Findings of different detectors on the same policy rule (an {@code egress: - {}} rule is both
   * unused and over-broad) become one: the most severe leads (the lower rule id on a tie), the
   * others' titles, evidence and remediation are appended, and {@link Finding#alsoRules} names them.
   */
  static List<Finding> merge(List<Finding> findings) {
    List<Finding> out = new ArrayList<>();
    Map<String, List<Finding>> byLocus = new LinkedHashMap<>();
    for (Finding f : findings) {
      if (f.locus() == null) {
        out.add(f);
      } else {
        byLocus.computeIfAbsent(f.locus(), k -> new ArrayList<>()).add(f);
      }
    }
    for (Map.Entry<String, List<Finding>> e : byLocus.entrySet()) {
      List<Finding> group = new ArrayList<>(e.getValue());
      if (group.size() == 1) {
        out.add(group.get(0));
        continue;
      }
      group.sort(Comparator.comparing(Finding::severity).reversed().thenComparing(f -> f.rule().id()));
      Finding lead = group.get(0);
      StringBuilder title = new StringBuilder(lead.title());
      List<String> evidence = new ArrayList<>(lead.evidence());
      Set<String> remediation = new LinkedHashSet<>();
      remediation.add(lead.remediation());
      Set<Rule> also = new LinkedHashSet<>(lead.alsoRules());
      Origin origin = lead.origin();
      for (Finding f : group.subList(1, group.size())) {
        String rest = f.title().startsWith(e.getKey()) ? f.title().substring(e.getKey().length()).strip() : f.title();
        title.append("; ").append(rest);
        f.evidence().forEach(x -> evidence.add(f.rule().id() + ": " + x));
        remediation.add(f.remediation());
        if (f.rule() != lead.rule()) {
          also.add(f.rule());
        }
        also.addAll(f.alsoRules());
        if (origin.equals(Origin.UNKNOWN)) {
          origin = f.origin();
        }
      }
      also.remove(lead.rule());
      out.add(new Finding(lead.rule(), lead.severity(), title.toString(), lead.subject(), evidence, origin,
          String.join(" ", remediation), lead.locus(), List.copyOf(also)));
    }
    return out;
  }
}
