package io.meshwarden.exposure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.LabelSelector.Operator;
import io.meshwarden.model.LabelSelector.Requirement;
import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.Namespace;
import io.meshwarden.model.NetworkPolicy;
import io.meshwarden.model.Origin;
import io.meshwarden.model.PolicyPort;
import io.meshwarden.model.PortRef;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Workload;
import io.meshwarden.model.WorkloadKind;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How representative peers print, and which rule selectors select them. */
class RepresentativePeerTest {
  private static final LabelSelector ALL = LabelSelector.EVERYTHING;

  private static LabelSelector labels(String... kv) {
    Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return new LabelSelector(m, List.of());
  }

  private static Requirement req(String key, Operator op, String... values) {
    return new Requirement(key, op, new LinkedHashSet<>(List.of(values)));
  }

  @Test
  void printsNamespaceByNameAndPodsByLabels() {
    Peer.RepresentativePeer rep = new Peer.RepresentativePeer("backend",
        labels(Namespace.NAME_LABEL, "backend"), labels("app", "backend-new"));
    assertEquals("backend/[pod with {app=backend-new}]", rep.displayName());
    assertEquals("[all namespaces]/[pod with {k8s-app=kube-dns}]",
        new Peer.RepresentativePeer(null, ALL, labels("k8s-app", "kube-dns")).displayName());
    assertEquals("[namespace with {conformance-house=slytherin}]/[all pods]",
        new Peer.RepresentativePeer(null, labels("conformance-house", "slytherin"), null).displayName());
  }

  @Test
  void printsExpressionsInGoStructNotationKeepingValueOrder() {
    LabelSelector ns = new LabelSelector(Map.of("foo", "managed"),
        List.of(req("env", Operator.Exists), req("app", Operator.DoesNotExist)));
    LabelSelector pod = new LabelSelector(Map.of("app", "app-x"),
        List.of(req("role", Operator.NotIn, "web", "monitoring", "search")));
    assertEquals("[namespace with {foo=managed,{Key:app,Operator:DoesNotExist,Values:[],},"
            + "{Key:env,Operator:Exists,Values:[],}}]/[pod with {app=app-x,{Key:role,Operator:NotIn,"
            + "Values:[web monitoring search],}}]",
        new Peer.RepresentativePeer(null, ns, pod).displayName());
  }

  private static Workload workload(String ns, String name, Map<String, String> labels) {
    return new Workload(ns, WorkloadKind.Deployment, name, labels, List.of(), "default", false, 1, List.of(),
        Origin.UNKNOWN);
  }

  private static NetworkPolicy egressTo(String name, LabelSelector nsSel, LabelSelector podSel, int port) {
    NetworkPolicy.Rule rule = new NetworkPolicy.Rule(List.of(new NetworkPolicy.Peer(podSel, nsSel, null)),
        List.of(new PolicyPort(Protocol.TCP, PortRef.of(port), 0)));
    return new NetworkPolicy("a", name, ALL, false, true, List.of(), List.of(rule), Origin.UNKNOWN);
  }

  @Test
  void equalRequirementsShareOneRepresentativeAndSelectIt() {
    LabelSelector prod = labels("env", "prod");
    LabelSelector inX = new LabelSelector(Map.of(), List.of(req("app", Operator.In, "x")));
    ClusterModel.Builder b = ClusterModel.builder();
    b.workload(workload("a", "client", Map.of("role", "client")));
    b.networkPolicy(egressTo("in-form", prod, inX, 80));
    b.networkPolicy(egressTo("labels-form", prod, labels("app", "x"), 90));
    b.networkPolicy(egressTo("narrower", prod, labels("app", "x", "tier", "web"), 100));
    ClusterModel model = b.build();
    Connectivity c = ConnectivityAnalyzer.analyze(model, true);
    List<Peer.RepresentativePeer> reps = c.representatives();
    assertEquals(2, reps.size(), reps.toString());
    Peer client = new Peer.WorkloadPeer(model.workloads().get(0));
    // "app in (x)" and "app=x" are one requirement; "app=x,tier=web" is a different, narrower one.
    assertEquals("TCP 80,90", c.allowed(client, reps.get(0)).toString());
    assertEquals("TCP 100", c.allowed(client, reps.get(1)).toString());
  }

  @Test
  void emptyRuleSelectorSelectsEveryRepresentative() {
    NetworkPolicy anyPodInProd = egressTo("any", labels("env", "prod"), ALL, 443);
    ClusterModel.Builder b = ClusterModel.builder();
    b.workload(workload("a", "client", Map.of()));
    b.networkPolicy(egressTo("specific", labels("env", "prod"), labels("app", "db"), 5432));
    b.networkPolicy(anyPodInProd);
    ClusterModel model = b.build();
    Connectivity c = ConnectivityAnalyzer.analyze(model, true);
    Peer client = new Peer.WorkloadPeer(model.workloads().get(0));
    Peer.RepresentativePeer db = c.representatives().stream()
        .filter(r -> r.displayName().contains("app=db")).findFirst().orElseThrow();
    assertEquals("TCP 443,5432", c.allowed(client, db).toString());
  }

  @Test
  void workloadWithMatchingPlainLabelsReplacesItsRepresentative() {
    ClusterModel.Builder b = ClusterModel.builder();
    b.namespace(new Namespace("b", Map.of("env", "prod"), Origin.UNKNOWN));
    b.workload(workload("a", "client", Map.of()));
    b.workload(workload("b", "db", Map.of("app", "db")));
    b.networkPolicy(egressTo("specific", labels("env", "prod"), labels("app", "db"), 5432));
    ClusterModel model = b.build();
    Connectivity c = ConnectivityAnalyzer.analyze(model, true);
    assertTrue(c.representatives().isEmpty(), c.representatives().toString());
  }

  @Test
  void namedPortsTowardRepresentativesStayNames() {
    NetworkPolicy.Rule rule = new NetworkPolicy.Rule(
        List.of(new NetworkPolicy.Peer(labels("app", "dns"), ALL, null)),
        List.of(new PolicyPort(Protocol.UDP, PortRef.named("dns"), 0)));
    ClusterModel.Builder b = ClusterModel.builder();
    b.workload(workload("a", "client", Map.of()));
    b.networkPolicy(new NetworkPolicy("a", "dns", ALL, false, true, List.of(), List.of(rule), Origin.UNKNOWN));
    ClusterModel model = b.build();
    Connectivity c = ConnectivityAnalyzer.analyze(model, true);
    ConnectionSet conn = c.allowed(new Peer.WorkloadPeer(model.workloads().get(0)), c.representatives().get(0));
    assertEquals("UDP dns", conn.toString());
  }
}
