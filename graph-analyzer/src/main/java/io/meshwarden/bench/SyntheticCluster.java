package io.meshwarden.bench;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Container;
import io.meshwarden.model.ContainerPort;
import io.meshwarden.model.IpBlock;
import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.Namespace;
import io.meshwarden.model.NetworkPolicy;
import io.meshwarden.model.Origin;
import io.meshwarden.model.PolicyPort;
import io.meshwarden.model.PortRef;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Workload;
import io.meshwarden.model.WorkloadKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generates a cluster shaped like the ones platform teams run: namespaces per team, services in
 * tiers (web, api, worker, db, cache) with shared label schemes, a default-deny per namespace and
 * per-service allow policies that reference pods, namespaces, named ports and IP ranges. The same
 * spec and seed always give the same cluster.
 */
public final class SyntheticCluster {
  private static final String[] TIERS = {"web", "api", "worker", "db", "cache"};
  private static final String[] ENVS = {"prod", "staging", "dev"};

  /**
   * @param replicaShare fraction of workloads that are label-identical variants of another
   *     (canary, blue/green), which the engine folds into one class
   */
  public record Spec(int namespaces, int workloads, int policies, double replicaShare, long seed) {
    public Spec {
      if (namespaces < 1 || workloads < namespaces || policies < 0) {
        throw new IllegalArgumentException("need namespaces >= 1, workloads >= namespaces, policies >= 0");
      }
    }
  }

  private SyntheticCluster() {}

  public static ClusterModel generate(Spec spec) {
    Random rnd = new Random(spec.seed());
    ClusterModel.Builder b = ClusterModel.builder();
    Origin origin = new Origin("<synthetic>", 0);
    for (int n = 0; n < spec.namespaces(); n++) {
      b.namespace(new Namespace(ns(n), Map.of("team", "team-" + (n % 17), "env", ENVS[n % ENVS.length]), origin));
    }
    b.namespace(new Namespace("kube-system", Map.of(), origin));
    List<Workload> workloads = new ArrayList<>();
    for (int i = 0; i < spec.workloads(); i++) {
      int n = i % spec.namespaces();
      Map<String, String> labels = Map.of("app", "svc-" + i, "tier", TIERS[rnd.nextInt(TIERS.length)],
          "version", "v" + (1 + rnd.nextInt(3)));
      if (!workloads.isEmpty() && rnd.nextDouble() < spec.replicaShare()) {
        Workload twin = workloads.get(rnd.nextInt(workloads.size()));
        n = Integer.parseInt(twin.namespace().substring(3));
        labels = twin.podLabels();
      }
      String app = labels.get("app");
      List<ContainerPort> ports = List.of(
          new ContainerPort("http", 8080 + rnd.nextInt(3), Protocol.TCP, 0),
          new ContainerPort("grpc", 9090, Protocol.TCP, 0),
          new ContainerPort("metrics", 9100, Protocol.TCP, 0));
      Workload w = new Workload(ns(n), WorkloadKind.Deployment, "wl-" + i, labels,
          List.of(new Container("main", "registry.example/" + app + ":1", ports)), "sa-" + i, false, 2, List.of(),
          origin);
      workloads.add(w);
      b.workload(w);
    }
    int made = 0;
    for (int n = 0; n < spec.namespaces() && made < spec.policies(); n++, made++) {
      b.networkPolicy(defaultDeny(ns(n), origin));
    }
    while (made < spec.policies()) {
      Workload target = workloads.get(rnd.nextInt(workloads.size()));
      b.networkPolicy(allowPolicy(target, made, spec, rnd, origin));
      made++;
    }
    return b.build();
  }

  /** A workload index that the generator placed in the target's namespace (index mod namespaces). */
  private static int sameNamespaceIndex(Workload target, Spec spec, Random rnd) {
    int n = Integer.parseInt(target.namespace().substring(3));
    int perNamespace = Math.max(1, spec.workloads() / spec.namespaces());
    return Math.min(spec.workloads() - 1, n + spec.namespaces() * rnd.nextInt(perNamespace));
  }

  private static String ns(int n) {
    return "ns-" + n;
  }

  private static NetworkPolicy defaultDeny(String ns, Origin origin) {
    NetworkPolicy.Rule dns = new NetworkPolicy.Rule(
        List.of(new NetworkPolicy.Peer(null, new LabelSelector(Map.of("kubernetes.io/metadata.name", "kube-system"),
            List.of()), null)),
        List.of(new PolicyPort(Protocol.UDP, PortRef.of(53), 0)));
    return new NetworkPolicy(ns, "default-deny", LabelSelector.EVERYTHING, true, true, List.of(), List.of(dns), origin);
  }

  private static NetworkPolicy allowPolicy(Workload target, int i, Spec spec, Random rnd, Origin origin) {
    LabelSelector subject = new LabelSelector(Map.of("app", target.podLabels().get("app")), List.of());
    List<NetworkPolicy.Rule> ingress = new ArrayList<>();
    List<NetworkPolicy.Rule> egress = new ArrayList<>();
    // Callers in the same namespace by app, from a tier across the team's namespaces, and probes by named port.
    ingress.add(new NetworkPolicy.Rule(
        List.of(new NetworkPolicy.Peer(new LabelSelector(Map.of("app", "svc-" + sameNamespaceIndex(target, spec, rnd)),
            List.of()), null, null)),
        List.of(new PolicyPort(Protocol.TCP, PortRef.named("http"), 0))));
    ingress.add(new NetworkPolicy.Rule(
        List.of(new NetworkPolicy.Peer(
            new LabelSelector(Map.of(), List.of(new LabelSelector.Requirement("tier", LabelSelector.Operator.In,
                Set.of("web", "api")))),
            new LabelSelector(Map.of("team", "team-" + rnd.nextInt(17)), List.of()), null)),
        List.of(new PolicyPort(Protocol.TCP, PortRef.of(9090), 0))));
    if (i % 5 == 0) {
      ingress.add(new NetworkPolicy.Rule(
          List.of(new NetworkPolicy.Peer(null, null, new IpBlock("10." + rnd.nextInt(256) + ".0.0/16",
              List.of()))),
          List.of(new PolicyPort(Protocol.TCP, PortRef.of(8000), 8100))));
    }
    egress.add(new NetworkPolicy.Rule(
        List.of(new NetworkPolicy.Peer(new LabelSelector(Map.of("tier", rnd.nextBoolean() ? "db" : "cache"), List.of()),
            new LabelSelector(Map.of("env", ENVS[rnd.nextInt(ENVS.length)]), List.of()), null)),
        List.of(new PolicyPort(Protocol.TCP, PortRef.named("grpc"), 0))));
    if (i % 7 == 0) {
      egress.add(new NetworkPolicy.Rule(
          List.of(new NetworkPolicy.Peer(null, null, new IpBlock("0.0.0.0/0",
              List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")))),
          List.of(new PolicyPort(Protocol.TCP, PortRef.of(443), 0))));
    }
    return new NetworkPolicy(target.namespace(), "allow-" + i, subject, true, true, ingress, egress, origin);
  }
}
