package io.meshwarden.verdict;

import io.meshwarden.finding.Finding;
import io.meshwarden.finding.Rule;
import io.meshwarden.finding.Severity;
import io.meshwarden.model.Origin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drift as findings (MW109), one per destination workload, its flows as evidence, most frequent
 * first. Medium: the data plane already denied these requests (as MW105 rates flows it dropped);
 * what is left is to learn why they were asked. Pure.
 */
final class DriftFindings {
  private static final int EVIDENCE = 10;

  private DriftFindings() {}

  static List<Finding> of(String approvedVersion, List<DryRunReport.Flow> drift) {
    Map<String, List<DryRunReport.Flow>> byDestination = new LinkedHashMap<>();
    for (DryRunReport.Flow f : drift) {
      byDestination.computeIfAbsent(f.destination(), k -> new ArrayList<>()).add(f);
    }
    List<Finding> out = new ArrayList<>();
    for (Map.Entry<String, List<DryRunReport.Flow>> e : byDestination.entrySet()) {
      List<DryRunReport.Flow> flows = new ArrayList<>(e.getValue());
      flows.sort((a, b) -> Long.compare(b.count(), a.count()));
      long total = flows.stream().mapToLong(DryRunReport.Flow::count).sum();
      long peers = flows.stream().map(DryRunReport.Flow::peer).distinct().count();
      List<String> evidence = new ArrayList<>();
      for (DryRunReport.Flow f : flows.subList(0, Math.min(EVIDENCE, flows.size()))) {
        evidence.add(evidence(f));
      }
      if (flows.size() > EVIDENCE) {
        evidence.add("... and " + (flows.size() - EVIDENCE) + " more (GET /api/v1/namespaces/"
            + namespace(e.getKey()) + "/dryrun)");
      }
      String subject = e.getKey();
      out.add(new Finding(Rule.DRIFT, Severity.MEDIUM,
          subject + " was asked " + total + " time" + (total == 1 ? "" : "s") + " for what its enforced policy (version "
              + approvedVersion + ") denies, by " + peers + " peer" + (peers == 1 ? "" : "s"),
          subject, evidence, Origin.UNKNOWN,
          "If the calls are legitimate, observe them (dry-run) and approve a proposal that includes them; otherwise"
              + " treat the callers as suspect: each line names the peer, the request and the rule that denied it"));
    }
    return out;
  }

  private static String evidence(DryRunReport.Flow f) {
    String request = f.method() == null ? "TCP" : f.method() + " " + f.path();
    return f.peer() + " -> " + f.destination() + ":" + f.port() + " " + request + ": " + f.count() + "x ("
        + f.firstSeen() + " .. " + f.lastSeen() + "), " + (f.policy() == null ? "no rule" : f.policy()) + " ("
        + f.reason() + ")";
  }

  private static String namespace(String workloadId) {
    int slash = workloadId.indexOf('/');
    return slash < 0 ? workloadId : workloadId.substring(0, slash);
  }
}
