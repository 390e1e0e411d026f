package io.meshwarden.synthesis;

import io.meshwarden.model.AdminNetworkPolicy;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.ClusterNetworkPolicy;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.Namespace;
import io.meshwarden.model.Origin;
import io.meshwarden.model.PolicyPort;
import io.meshwarden.model.PortRef;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Namespace guardrails in the Baseline tier of ClusterNetworkPolicy, for teams that prefer cluster
 * policy to per-workload policy: per namespace, accept the namespaces it was observed receiving
 * from and deny every other namespace. NetworkPolicies still override them (the Baseline tier comes
 * after NetworkPolicy), traffic from outside the cluster and from nodes is not affected (only
 * {@code namespaces} peers), and host-network pods are never selected.
 *
 * <p>Evidence before policy, as for per-workload policy: a namespace gets a guardrail only when
 * every workload in it has a learned policy whose ingress a flow source watched; where the
 * sources watched only some ports, the guardrail covers just the ports watched on every workload
 * of the namespace; an observed source address inside the cluster that no workload owns (its
 * namespace unknown) withholds the guardrail. Everything withheld is said, with the reason. Pure.
 */
public final class NamespaceGuardrails {
  /** Later than the priorities administrators usually give their own Baseline policies. */
  public static final int PRIORITY = 900;
  static final String NAME_LABEL = Namespace.NAME_LABEL;

  /**
   * The guardrails, what each accepted namespace rests on, and the namespaces left without one.
   *
   * @param accepted per policy name, per accepted namespace, the observed flows from it
   */
  public record Result(List<ClusterNetworkPolicy> policies, Map<String, Map<String, Long>> accepted,
      List<Evidence.Unobserved> withheld) {
    public Result {
      policies = List.copyOf(policies);
      accepted = Map.copyOf(accepted);
      withheld = List.copyOf(withheld);
    }
  }

  private NamespaceGuardrails() {}

  public static Result derive(ClusterModel model, PolicySet set) {
    Map<String, List<Workload>> byNamespace = new TreeMap<>();
    for (Workload w : model.workloads()) {
      if (!w.hostNetwork()) {
        byNamespace.computeIfAbsent(w.namespace(), n -> new ArrayList<>()).add(w);
      }
    }
    List<ClusterNetworkPolicy> policies = new ArrayList<>();
    Map<String, Map<String, Long>> accepted = new TreeMap<>();
    List<Evidence.Unobserved> withheld = new ArrayList<>();
    for (Map.Entry<String, List<Workload>> e : byNamespace.entrySet()) {
      String ns = e.getKey();
      Map<String, Long> sources = new TreeMap<>();
      sources.put(ns, 0L);
      Set<String> ports = null; // null: every port watched on every workload so far
      String why = null;
      for (Workload w : e.getValue()) {
        WorkloadPolicy wp = set.forWorkload(w.id()).orElse(null);
        if (wp == null) {
          why = w.id() + " has no learned policy (not enough evidence)";
          break;
        }
        Scope scope = wp.ingressScope();
        if (scope.extent() == Scope.Extent.OPEN) {
          why = "no flow source watched the ingress of " + w.id();
          break;
        }
        if (scope.extent() == Scope.Extent.PORTS) {
          Set<String> covered = new TreeSet<>();
          scope.ports().forEach(p -> covered.add(p.protocol() + "/" + p.port()));
          if (ports == null) {
            ports = covered;
          } else {
            ports.retainAll(covered);
          }
        }
        for (PortRule r : wp.ingress()) {
          for (Peer p : r.peers()) {
            if (p.kind() == Peer.Kind.WORKLOAD && p.namespace() != null) {
              sources.merge(p.namespace(), r.provenance() == null ? 0 : r.provenance().flows(), Long::sum);
            } else if (p.kind() == Peer.Kind.CIDR && p.cidr() != null && inCluster(p.cidr())) {
              why = w.id() + " received from " + p.cidr() + ", an in-cluster address no workload owns: its namespace"
                  + " is unknown";
            }
          }
        }
        if (why != null) {
          break;
        }
      }
      if (why == null && ports != null && ports.isEmpty()) {
        why = "the flow sources watched no port on every workload of the namespace";
      }
      if (why != null) {
        withheld.add(new Evidence.Unobserved("namespace " + ns, why));
        continue;
      }
      String name = "meshwarden-guardrail-" + ns;
      policies.add(guardrail(name, ns, sources.keySet(), ports));
      accepted.put(name, sources);
    }
    return new Result(policies, accepted, withheld);
  }

  private static ClusterNetworkPolicy guardrail(String name, String ns, Set<String> from, Set<String> ports) {
    List<PolicyPort> protocols = new ArrayList<>();
    if (ports != null) {
      for (String p : ports) {
        String[] pp = p.split("/");
        protocols.add(new PolicyPort(Protocol.valueOf(pp[0]), PortRef.of(Integer.parseInt(pp[1])), 0));
      }
    }
    LabelSelector own = new LabelSelector(Map.of(NAME_LABEL, ns), List.of());
    LabelSelector observed = new LabelSelector(Map.of(), List.of(
        new LabelSelector.Requirement(NAME_LABEL, LabelSelector.Operator.In, from)));
    Origin origin = new Origin("generated", 0);
    ClusterNetworkPolicy.Rule accept = new ClusterNetworkPolicy.Rule("accept-observed-namespaces",
        ClusterNetworkPolicy.Action.Accept,
        List.of(ClusterNetworkPolicy.Peer.pods(new AdminNetworkPolicy.Subject(observed, null))), protocols, origin);
    ClusterNetworkPolicy.Rule deny = new ClusterNetworkPolicy.Rule("deny-other-namespaces",
        ClusterNetworkPolicy.Action.Deny,
        List.of(ClusterNetworkPolicy.Peer.pods(new AdminNetworkPolicy.Subject(LabelSelector.EVERYTHING, null))),
        protocols, origin);
    return new ClusterNetworkPolicy(name, ClusterNetworkPolicy.Tier.Baseline, PRIORITY,
        new AdminNetworkPolicy.Subject(own, null), List.of(accept, deny), List.of(), origin);
  }

  /** Whether a peer CIDR is private-use space, where pods and nodes live. */
  private static boolean inCluster(String cidr) {
    Objects.requireNonNull(cidr);
    try {
      return IpRange.parseCidr(cidr).isPrivateUse();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
