package io.meshwarden.report;

import io.meshwarden.synthesis.Evidence;
import io.meshwarden.synthesis.HttpMatch;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PolicySet;
import io.meshwarden.synthesis.PortRule;
import io.meshwarden.synthesis.Provenance;
import io.meshwarden.synthesis.Scope;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.util.List;
import java.util.Map;

/**
 * The generated intent as reviewers read it (text) and as tools read it (JSON): per workload, who
 * may reach which port with which requests, and why (the observed edges, counts, first/last seen);
 * how far each direction is restricted and which source covered it; the evidence of the whole set
 * (window, sources and what they cannot see, workloads left without policy, warnings).
 */
public final class PolicySetRenderer {
  private PolicySetRenderer() {}

  public static String text(PolicySet set, List<String> notes) {
    StringBuilder sb = new StringBuilder();
    Evidence ev = set.evidence();
    if (ev.firstSeen() != null) {
      sb.append("evidence: ").append(ev.flows()).append(" flows, ").append(ev.firstSeen()).append(" .. ")
          .append(ev.lastSeen()).append("\n  sources: ").append(String.join(", ", ev.sources())).append('\n');
      ev.blindSpots().forEach(b -> sb.append("  ").append(b).append('\n'));
      ev.warnings().forEach(w -> sb.append("warning: ").append(w).append('\n'));
      sb.append('\n');
    }
    for (WorkloadPolicy p : set.policies()) {
      sb.append(p.workloadId()).append("  (selector ").append(p.podLabels()).append(", sa ").append(p.serviceAccount())
          .append(", ").append(p.flowsIn()).append(" flows in, ").append(p.flowsOut()).append(" out)\n");
      section(sb, "ingress", p.ingress(), p.ingressScope());
      section(sb, "egress", p.egress(), p.egressScope());
    }
    if (!ev.notEnoughEvidence().isEmpty()) {
      sb.append("\nnot enough evidence (no policy selects these; their ingress and egress are unchanged):\n");
      ev.notEnoughEvidence().forEach(u -> sb.append("  ").append(u.workloadId()).append(": ").append(u.reason())
          .append('\n'));
    }
    if (!notes.isEmpty()) {
      sb.append("\nnotes:\n");
      notes.forEach(n -> sb.append("  - ").append(n).append('\n'));
    }
    // Written for people: workloads named as every other report names them.
    return Text.workloadNames(sb.toString());
  }

  private static void section(StringBuilder sb, String name, List<PortRule> rules, Scope scope) {
    if (scope.extent() == Scope.Extent.OPEN) {
      sb.append("  ").append(name).append(": ").append(scope.why()).append('\n');
      return;
    }
    if (rules.isEmpty() && scope.extent() == Scope.Extent.ALL) {
      sb.append("  ").append(name).append(": deny all (").append(scope.why()).append(")\n");
      return;
    }
    sb.append("  ").append(name).append(": ").append(scope.why()).append('\n');
    for (PortRule r : rules) {
      sb.append("    ").append(r.protocol()).append(' ').append(r.port())
          .append(r.portName() == null ? "" : " (" + r.portName() + ")").append(name.equals("ingress") ? " <- " : " -> ")
          .append(String.join(", ", r.peers().stream().map(PolicySetRenderer::peer).toList()));
      if (r.isHttp()) {
        sb.append("  [").append(String.join(", ", r.http().stream().map(PolicySetRenderer::http).toList())).append(']');
      }
      Provenance pv = r.provenance();
      sb.append("\n      why: ").append(pv.reason());
      if (pv.flows() > 0) {
        sb.append(", ").append(pv.flows()).append(" flows, ").append(pv.firstSeen()).append(" .. ").append(pv.lastSeen());
      }
      sb.append('\n');
    }
  }

  private static String peer(Peer p) {
    return switch (p.kind()) {
      case WORKLOAD -> p.workloadId();
      case CIDR -> p.cidr();
      case KUBELET -> "kubelet";
      case KUBE_DNS -> "kube-dns";
    };
  }

  private static String http(HttpMatch m) {
    return (m.method() == null ? "*" : m.method()) + " " + m.path() + (m.prefix() ? "*" : "");
  }

  public static String json(PolicySet set, List<String> notes) {
    StringBuilder sb = new StringBuilder("{\n  \"trustDomain\": ").append(Text.json(set.trustDomain()))
        .append(",\n  \"policies\": [");
    for (int i = 0; i < set.policies().size(); i++) {
      WorkloadPolicy p = set.policies().get(i);
      sb.append(i == 0 ? "\n" : ",\n").append("    {\"workload\": ").append(Text.json(p.workloadId()))
          .append(", \"namespace\": ").append(Text.json(p.namespace()))
          .append(", \"serviceAccount\": ").append(Text.json(p.serviceAccount()))
          .append(", \"podSelector\": ").append(labels(p.podLabels()))
          .append(", \"flowsIn\": ").append(p.flowsIn()).append(", \"flowsOut\": ").append(p.flowsOut())
          .append(",\n     \"ingressScope\": ").append(scope(p.ingressScope()))
          .append(",\n     \"egressScope\": ").append(scope(p.egressScope()))
          .append(",\n     \"ingress\": ").append(rules(p.ingress()))
          .append(",\n     \"egress\": ").append(rules(p.egress())).append('}');
    }
    Evidence ev = set.evidence();
    sb.append("\n  ],\n  \"evidence\": {\"firstSeen\": ").append(ev.firstSeen() == null ? "null"
        : Text.json(ev.firstSeen().toString())).append(", \"lastSeen\": ")
        .append(ev.lastSeen() == null ? "null" : Text.json(ev.lastSeen().toString()))
        .append(", \"flows\": ").append(ev.flows())
        .append(",\n    \"sources\": ").append(strings(ev.sources()))
        .append(",\n    \"cannotSee\": ").append(strings(ev.blindSpots()))
        .append(",\n    \"warnings\": ").append(diagnostics(ev.warnings()))
        .append(",\n    \"notEnoughEvidence\": [");
    for (int i = 0; i < ev.notEnoughEvidence().size(); i++) {
      Evidence.Unobserved u = ev.notEnoughEvidence().get(i);
      sb.append(i == 0 ? "" : ", ").append("{\"workload\": ").append(Text.json(u.workloadId()))
          .append(", \"reason\": ").append(Text.json(u.reason())).append('}');
    }
    sb.append("]},\n  \"notes\": [");
    for (int i = 0; i < notes.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(Text.json(notes.get(i)));
    }
    return sb.append("]\n}\n").toString();
  }

  private static String scope(Scope s) {
    StringBuilder sb = new StringBuilder("{\"extent\": ").append(Text.json(s.extent().name()))
        .append(", \"sources\": ").append(strings(s.sources())).append(", \"ports\": [");
    for (int i = 0; i < s.ports().size(); i++) {
      Scope.CoveredPort p = s.ports().get(i);
      sb.append(i == 0 ? "" : ", ").append("{\"protocol\": ").append(Text.json(p.protocol().name()))
          .append(", \"port\": ").append(p.port()).append(", \"sources\": ").append(strings(p.sources())).append('}');
    }
    return sb.append("], \"why\": ").append(Text.json(s.why())).append('}').toString();
  }

  private static String diagnostics(List<io.meshwarden.model.Diagnostic> values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(Text.json(values.get(i)));
    }
    return sb.append(']').toString();
  }

  private static String strings(List<String> values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(Text.json(values.get(i)));
    }
    return sb.append(']').toString();
  }

  private static String labels(Map<String, String> labels) {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(labels).entrySet()) {
      sb.append(first ? "" : ", ").append(Text.json(e.getKey())).append(": ").append(Text.json(e.getValue()));
      first = false;
    }
    return sb.append('}').toString();
  }

  private static String rules(List<PortRule> rules) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < rules.size(); i++) {
      PortRule r = rules.get(i);
      sb.append(i == 0 ? "" : ", ").append("{\"protocol\": ").append(Text.json(r.protocol().name()))
          .append(", \"port\": ").append(r.port())
          .append(r.portName() == null ? "" : ", \"portName\": " + Text.json(r.portName()))
          .append(", \"peers\": [");
      for (int j = 0; j < r.peers().size(); j++) {
        sb.append(j == 0 ? "" : ", ").append(Text.json(peer(r.peers().get(j))));
      }
      sb.append("], \"http\": [");
      for (int j = 0; j < r.http().size(); j++) {
        sb.append(j == 0 ? "" : ", ").append(Text.json(http(r.http().get(j))));
      }
      Provenance pv = r.provenance();
      sb.append("], \"provenance\": {\"reason\": ").append(Text.json(pv.reason())).append(", \"flows\": ")
          .append(pv.flows());
      if (pv.firstSeen() != null) {
        sb.append(", \"firstSeen\": ").append(Text.json(pv.firstSeen().toString())).append(", \"lastSeen\": ")
            .append(Text.json(pv.lastSeen().toString()));
      }
      sb.append(", \"edges\": [");
      for (int j = 0; j < pv.edges().size(); j++) {
        sb.append(j == 0 ? "" : ", ").append(Text.json(pv.edges().get(j)));
      }
      sb.append("]}}");
    }
    return sb.append(']').toString();
  }
}
