package io.meshwarden.finding;

import io.meshwarden.exposure.EntryPoint;
import io.meshwarden.exposure.EntryPointScanner;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Workload;
import io.meshwarden.traffic.ObservedEdge;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * MW103: the entry points from outside (LoadBalancer and NodePort Services, Ingress and Route
 * backends, Istio and Gateway API gateways and their routes' backends, hostNetwork and hostPort
 * pods), workloads that received traffic from public addresses with no declared way in, and
 * observed traffic out to the internet. A policy that merely admits every address, with no entry
 * point in front, is MW108, not exposure.
 */
final class ExternalExposureDetector implements FindingDetector {
  @Override
  public Rule rule() {
    return Rule.EXTERNAL_EXPOSURE;
  }

  @Override
  public List<Finding> detect(AnalysisInput in) {
    List<Finding> out = new ArrayList<>();
    List<EntryPoint> entries = EntryPointScanner.scan(in.model(), in.traffic());
    Map<String, EntryPoint> observed = new TreeMap<>();
    Set<String> declared = new HashSet<>();
    for (EntryPoint e : entries) {
      if (e.kind().declared()) {
        declared.add(e.workload().id());
      } else {
        observed.put(e.workload().id(), e);
      }
    }
    for (EntryPoint e : entries) {
      Workload w = e.workload();
      boolean sensitive = in.sensitivity().isSensitive(w);
      if (!e.kind().declared() && declared.contains(w.id())) {
        continue; // the declared entry's finding carries it as evidence
      }
      Severity severity = switch (e.kind()) {
        case HostNetwork -> Severity.HIGH;
        case LoadBalancer, NodePort, HostPort, ObservedPublic -> sensitive ? Severity.HIGH : Severity.MEDIUM;
        case Ingress, Route, IstioGateway, GatewayApi -> sensitive ? Severity.MEDIUM : Severity.LOW;
      };
      String remediation = switch (e.kind()) {
        case HostNetwork -> "Run the pods without hostNetwork unless they must own node interfaces; NetworkPolicy"
            + " cannot restrict them.";
        case HostPort -> "Remove the hostPort and expose the port through a Service.";
        case LoadBalancer, NodePort -> "If only in-cluster or ingress traffic needs it, make the Service ClusterIP;"
            + " otherwise restrict loadBalancerSourceRanges and keep an ingress policy on the pods.";
        case Ingress, Route, IstioGateway, GatewayApi -> "Check that every host and path is meant to be public; keep"
            + " an ingress policy that admits only the gateway or ingress controller.";
        case ObservedPublic -> "Find the path these flows took (a Service or load balancer missing from the input,"
            + " routable pod IPs, a node port) and declare it, or close it.";
      };
      List<String> evidence = new ArrayList<>();
      evidence.add(how(e) + ": " + e.detail() + (sensitive ? " (sensitive: " + in.sensitivity().reason(w.id()) + ")" : ""));
      EntryPoint seen = observed.get(w.id());
      if (e.kind().declared() && seen != null) {
        evidence.add("observed: " + seen.detail() + ", e.g. " + seen.origin());
      }
      String title = e.kind().declared()
          ? Workloads.shortName(w) + " is reachable from outside the cluster via " + how(e)
          : Workloads.shortName(w) + " received traffic from public addresses, though no manifest of the input"
              + " declares a way in";
      out.add(new Finding(rule(), severity, title, w.id(), evidence, e.origin(), remediation));
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
          e.getKey(), evidence, w == null ? Origin.UNKNOWN : w.origin(),
          "Allow these destinations explicitly (egress ipBlock or an egress gateway) and deny the rest."));
    }
    return out;
  }

  /** How an entry point opens the way, as titles say it: {@code LoadBalancer Service ns/name}. */
  static String how(EntryPoint e) {
    return switch (e.kind()) {
      case HostNetwork -> "hostNetwork";
      case HostPort -> "hostPort of " + e.via();
      case ObservedPublic -> "observed " + e.via();
      default -> e.kind().label() + " " + e.via();
    };
  }
}
