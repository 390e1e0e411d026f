package io.meshwarden.report;

import io.meshwarden.synthesis.HttpMatch;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PolicySet;
import io.meshwarden.synthesis.PortRule;
import io.meshwarden.synthesis.Provenance;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.util.List;
import java.util.Map;

/**
 * The generated intent as reviewers read it (text) and as tools read it (JSON): per workload, who
 * may reach which port with which requests, and why (the observed edges, counts, first/last seen).
 */
public final class PolicySetRenderer {
  private PolicySetRenderer() {}

  public static String text(PolicySet set, List<String> notes) {
    StringBuilder sb = new StringBuilder();
    for (WorkloadPolicy p : set.policies()) {
      sb.append(p.workloadId()).append("  (selector ").append(p.podLabels()).append(", sa ").append(p.serviceAccount())
          .append(")\n");
      section(sb, "ingress", p.ingress());
      section(sb, "egress", p.egress());
    }
    if (!notes.isEmpty()) {
      sb.append("\nnotes:\n");
      notes.forEach(n -> sb.append("  - ").append(n).append('\n'));
    }
    return sb.toString();
  }

  private static void section(StringBuilder sb, String name, List<PortRule> rules) {
    if (rules.isEmpty()) {
      sb.append("  ").append(name).append(": deny all\n");
      return;
    }
    sb.append("  ").append(name).append(":\n");
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
          .append(",\n     \"ingress\": ").append(rules(p.ingress()))
          .append(",\n     \"egress\": ").append(rules(p.egress())).append('}');
    }
    sb.append("\n  ],\n  \"notes\": [");
    for (int i = 0; i < notes.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(Text.json(notes.get(i)));
    }
    return sb.append("]\n}\n").toString();
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
