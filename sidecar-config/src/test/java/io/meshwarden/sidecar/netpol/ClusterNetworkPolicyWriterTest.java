package io.meshwarden.sidecar.netpol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.ingest.manifest.LoadResult;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Workload;
import io.meshwarden.synthesis.NamespaceGuardrails;
import io.meshwarden.synthesis.PolicySet;
import io.meshwarden.synthesis.PolicySynthesizer;
import io.meshwarden.traffic.EdgeKey;
import io.meshwarden.traffic.EdgeStats;
import io.meshwarden.traffic.FlowSource;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import io.meshwarden.traffic.TrafficModel;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code generate -o clusternetworkpolicy}: namespace guardrails in the Baseline tier, fed back
 * through the loader and the connectivity engine next to the workloads. Observed namespaces keep
 * their traffic, namespaces never seen are denied, and a namespace without full evidence gets no
 * guardrail.
 */
class ClusterNetworkPolicyWriterTest {
  private static final String CLUSTER = ns("shop") + ns("front") + ns("batch") + ns("tools")
      + deploy("shop", "api", 8080) + deploy("front", "web", 80) + deploy("batch", "job", 9000)
      + deploy("tools", "debug", 22);
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  private static String ns(String name) {
    return "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: " + name + "}\n";
  }

  private static String deploy(String ns, String name, int port) {
    return "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + name + ", namespace: " + ns + "}\n"
        + "spec:\n  template:\n    metadata: {labels: {app: " + name + "}}\n    spec:\n      containers:\n"
        + "      - {name: c, image: x, ports: [{containerPort: " + port + "}]}\n";
  }

  private static ObservedEdge edge(String src, String dst, int port, FlowSource source) {
    return new ObservedEdge(new EdgeKey(PeerRef.workload(src), PeerRef.workload(dst), Protocol.TCP, port, null, null),
        new EdgeStats(20, 0, NOW.minusSeconds(86_400 * 2), NOW, 0, new Origin("flows", 1), Set.of(source)));
  }

  private static String allowed(ClusterModel m, String src, String dst) {
    Connectivity c = ConnectivityAnalyzer.analyze(m);
    return c.allowed(new Peer.WorkloadPeer(workload(m, src)), new Peer.WorkloadPeer(workload(m, dst))).toString();
  }

  private static Workload workload(ClusterModel m, String id) {
    return m.workloads().stream().filter(w -> w.id().equals(id)).findFirst().orElseThrow();
  }

  private static ClusterModel load(String yaml) throws Exception {
    LoadResult r = new ManifestLoader(false).load("generated.yaml", new StringReader(yaml));
    assertEquals(List.of(), r.errors());
    return r.model();
  }

  @Test
  void guardrailsAcceptObservedNamespacesAndDenyTheRest_onlyWhereEveryWorkloadWasWatched() throws Exception {
    ClusterModel m = load(CLUSTER);
    // Hubble sees every port of both ends: web calls api, api calls job; debug sends and receives nothing.
    TrafficModel t = new TrafficModel(List.of(
        edge("front/Deployment/web", "shop/Deployment/api", 8080, FlowSource.HUBBLE),
        edge("shop/Deployment/api", "batch/Deployment/job", 9000, FlowSource.HUBBLE)), 40, List.of(), 0, Map.of());
    PolicySet set = PolicySynthesizer.synthesize(m, t, PolicySynthesizer.Options.defaults()).policies();
    NamespaceGuardrails.Result g = NamespaceGuardrails.derive(m, set);
    assertEquals(List.of("meshwarden-guardrail-batch", "meshwarden-guardrail-front", "meshwarden-guardrail-shop"),
        g.policies().stream().map(p -> p.name()).toList());
    assertEquals(List.of("namespace tools"), g.withheld().stream().map(u -> u.workloadId()).toList(),
        "debug was never observed: no evidence, no guardrail");
    String yaml = ClusterNetworkPolicyWriter.write(set, g);
    assertTrue(yaml.contains("# no guardrail (not enough evidence"), yaml);
    assertTrue(yaml.contains("tier: Baseline"), yaml);
    ClusterModel after = load(CLUSTER + yaml);
    assertEquals(3, after.clusterNetworkPolicies().size());
    assertEquals("All Connections", allowed(after, "front/Deployment/web", "shop/Deployment/api"), "observed");
    assertEquals("All Connections", allowed(after, "shop/Deployment/api", "batch/Deployment/job"), "observed");
    assertEquals("No Connections", allowed(after, "tools/Deployment/debug", "shop/Deployment/api"), "never talked");
    assertEquals("No Connections", allowed(after, "front/Deployment/web", "batch/Deployment/job"), "never talked");
    assertEquals("All Connections", allowed(after, "shop/Deployment/api", "tools/Deployment/debug"),
        "tools has no guardrail");
  }

  @Test
  void aSourceThatSawSomePortsOnly_guardsOnlyThosePorts() throws Exception {
    ClusterModel m = load(CLUSTER);
    TrafficModel t = new TrafficModel(List.of(
        edge("front/Deployment/web", "shop/Deployment/api", 8080, FlowSource.ENVOY_INBOUND_HTTP)), 20, List.of(), 0,
        Map.of());
    PolicySet set = PolicySynthesizer.synthesize(m, t, PolicySynthesizer.Options.defaults()).policies();
    NamespaceGuardrails.Result g = NamespaceGuardrails.derive(m, set);
    assertEquals(List.of("meshwarden-guardrail-shop"), g.policies().stream().map(p -> p.name()).toList());
    ClusterModel after = load(CLUSTER + ClusterNetworkPolicyWriter.write(set, g));
    assertEquals("All Connections", allowed(after, "front/Deployment/web", "shop/Deployment/api"));
    assertEquals("SCTP 1-65535,TCP 1-8079,8081-65535,UDP 1-65535",
        allowed(after, "tools/Deployment/debug", "shop/Deployment/api"),
        "the inbound log watched TCP 8080 only: every other port stays open");
  }
}
