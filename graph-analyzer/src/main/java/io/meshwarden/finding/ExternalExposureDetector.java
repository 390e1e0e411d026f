package io.meshwarden.finding;

import io.meshwarden.connectivity.RuleReach;
import io.meshwarden.exposure.EntryPoint;
import io.meshwarden.exposure.EntryPointScanner;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Workload;
import io.meshwarden.traffic.ObservedEdge;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * MW103: ways in from outside (LoadBalancer and NodePort services, Ingress and Route backends,
 * hostNetwork and hostPort pods, rules admitting 0.0.0.0/0) and observed traffic out to the internet.
 */
final class ExternalExposureDetector implements FindingDetector {
  @Override
  public Rule rule() {
    return Rule.EXTERNAL_EXPOSURE;
  }

  @Override
  public List<Finding> detect(AnalysisInput in) {
    List<Finding> out = new ArrayList<>();
    for (EntryPoint e : EntryPointScanner.scan(in.model())) {
      Workload w = e.workload();
      boolean sensitive = in.sensitivity().isSensitive(w);
      Severity severity = switch (e.kind()) {
        case HostNetwork -> Severity.HIGH;
        case LoadBalancer, NodePort, HostPort -> sensitive ? Severity.HIGH : Severity.MEDIUM;
        case Ingress, Route -> sensitive ? Severity.MEDIUM : Severity.LOW;
      };
      String remediation = switch (e.kind()) {
        case HostNetwork -> "Run the pods without hostNetwork unless they must own node interfaces; NetworkPolicy"
            + " cannot restrict them.";
        case HostPort -> "Remove the hostPort and expose the port through a Service.";
        case LoadBalancer, NodePort -> "If only in-cluster or ingress traffic needs it, make the Service ClusterIP;"
            + " otherwise restrict loadBalancerSourceRanges and keep an ingress policy on the pods.";
        case Ingress, Route -> "Check that every host and path is meant to be public; keep an ingress policy that"
            + " admits only the ingress controller.";
      };
      out.add(new Finding(rule(), severity,
          Workloads.shortName(w) + " is reachable from outside the cluster via " + e.kind() + " " + e.via(),
          w.id(), List.of(e.kind() + " " + e.via() + ": " + e.detail()
              + (sensitive ? " (sensitive: " + in.sensitivity().reason(w.id()) + ")" : "")),
          e.origin(), remediation));
    }
    for (RuleReach r : in.connectivity().networkPolicyRules()) {
      if (!r.ingress() || r.subjects().isEmpty()) {
        continue;
      }
      boolean everywhere = r.ipRanges().stream().anyMatch(x -> x.equals(IpRange.ALL));
      if (everywhere) {
        out.add(new Finding(rule(), Severity.MEDIUM, r + " admits 0.0.0.0/0", r.policy(),
            r.subjects().stream().map(w -> "exposes " + Workloads.shortName(w) + " : " + r.portsTo(w)).limit(10).toList(),
            r.origin(), "Replace 0.0.0.0/0 with the ranges that really connect (load balancer, partners),"
                + " or admit only the ingress controller's namespace."));
      }
    }
    Map<String, List<ObservedEdge>> egress = new TreeMap<>();
    for (ObservedEdge e : in.traffic().edges()) {
      if (e.key().source().isWorkload() && !e.key().destination().isWorkload()) {
        egress.computeIfAbsent(e.key().source().id(), k -> new ArrayList<>()).add(e);
      }
    }
    Map<String, Workload> byId = Workloads.byId(in.model());
    for (Map.Entry<String, List<ObservedEdge>> e : egress.entrySet()) {
      Workload w = byId.get(e.getKey());
      List<String> evidence = e.getValue().stream()
          .map(o -> o.key().destination() + " " + o.key().protocol() + " " + o.key().port() + " ("
              + o.stats().count() + " flows, last " + o.stats().lastSeen() + ", e.g. " + o.stats().sample() + ")")
          .limit(10).toList();
      long destinations = e.getValue().stream().map(o -> o.key().destination()).distinct().count();
      out.add(new Finding(rule(), Severity.LOW,
          (w == null ? e.getKey() : Workloads.shortName(w)) + " sent traffic outside the cluster to " + destinations
              + " destination" + (destinations == 1 ? "" : "s"),
          e.getKey(), evidence, w == null ? io.meshwarden.model.Origin.UNKNOWN : w.origin(),
          "Allow these destinations explicitly (egress ipBlock or an egress gateway) and deny the rest."));
    }
    return out;
  }
}
