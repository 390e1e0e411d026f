package io.meshwarden.finding;

import io.meshwarden.exposure.EntryPointScanner;
import io.meshwarden.model.Namespace;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * MW102: namespaces where pods that no policy selects accept (ingress) or send (egress) anything.
 * Ingress and egress are reported separately: they are fixed by different policies.
 */
final class NoDefaultDenyDetector implements FindingDetector {
  @Override
  public Rule rule() {
    return Rule.NO_DEFAULT_DENY;
  }

  @Override
  public List<Finding> detect(AnalysisInput in) {
    Map<String, List<Workload>> byNamespace = new TreeMap<>();
    for (Workload w : in.model().workloads()) {
      byNamespace.computeIfAbsent(w.namespace(), k -> new ArrayList<>()).add(w);
    }
    Set<String> entryPoints = new HashSet<>();
    EntryPointScanner.scan(in.model(), in.traffic()).forEach(x -> entryPoints.add(x.workload().id()));
    List<Finding> out = new ArrayList<>();
    for (Map.Entry<String, List<Workload>> e : byNamespace.entrySet()) {
      for (boolean ingress : new boolean[] {true, false}) {
        List<Workload> open = e.getValue().stream().filter(w -> !in.connectivity().isProtected(w, ingress)).toList();
        if (open.isEmpty()) {
          continue;
        }
        boolean sensitive = open.stream().anyMatch(in.sensitivity()::isSensitive);
        Severity severity = ingress ? (sensitive ? Severity.HIGH : Severity.MEDIUM)
            : (sensitive ? Severity.MEDIUM : Severity.LOW);
        String dir = ingress ? "ingress" : "egress";
        List<String> evidence = new ArrayList<>();
        for (Workload w : open) {
          String why = in.sensitivity().reason(w.id());
          evidence.add(Workloads.shortName(w) + " [" + w.kind() + "] is not selected by any " + dir + " policy"
              + (why == null ? "" : " (sensitive: " + why + ")"));
        }
        if (ingress) {
          // Open ingress is exposure only behind an entry point; elsewhere it needs routable pod IPs.
          List<String> entries = open.stream().filter(w -> entryPoints.contains(w.id())).map(Workloads::shortName)
              .toList();
          evidence.add(0, entries.isEmpty()
              ? "no entry point leads to them: from outside the cluster they are reachable only where pod IPs are routable"
              : "entry points among them (see MW103): " + String.join(", ", entries) + "; the others are reachable"
                  + " from outside only where pod IPs are routable");
        }
        Namespace ns = in.model().namespace(e.getKey());
        out.add(new Finding(rule(), severity,
            "namespace " + e.getKey() + ": " + open.size() + " of " + e.getValue().size() + " workloads "
                + (ingress ? "accept connections from anywhere" : "may connect anywhere")
                + " (no default-deny " + dir + ")",
            e.getKey(), evidence, ns.origin(),
            "Add a default-deny " + dir + " policy to namespace " + e.getKey()
                + " (podSelector: {}, policyTypes: [" + (ingress ? "Ingress" : "Egress") + "]) and allow what"
                + " traffic needs; `meshwarden generate` writes both from observed flows."));
      }
    }
    return out;
  }
}
