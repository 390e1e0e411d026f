package io.meshwarden.connectivity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwarden.ingest.manifest.ManifestLoader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Primary-network isolation and MultiNetworkPolicy evaluation on secondary networks. */
class MultiNetworkSemanticsTest {
  private static final String NAMESPACES = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: blue, labels: {k8s.ovn.org/primary-user-defined-network: ""}}
      ---
      apiVersion: v1
      kind: Namespace
      metadata: {name: green, labels: {k8s.ovn.org/primary-user-defined-network: ""}}
      ---
      apiVersion: k8s.ovn.org/v1
      kind: UserDefinedNetwork
      metadata: {name: net, namespace: blue}
      spec: {topology: Layer2, layer2: {role: Primary}}
      ---
      apiVersion: k8s.cni.cncf.io/v1
      kind: NetworkAttachmentDefinition
      metadata: {name: flat, namespace: blue}
      ---
      apiVersion: k8s.cni.cncf.io/v1
      kind: NetworkAttachmentDefinition
      metadata: {name: flat, namespace: green}
      ---
      """;

  private static String pod(String ns, String name, String networks) {
    return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  namespace: " + ns
        + "\n  labels: {app: " + name + "}\n  annotations: {k8s.v1.cni.cncf.io/networks: '" + networks
        + "'}\nspec: {containers: []}\n---\n";
  }

  private static List<String> lines(String yaml) throws Exception {
    var model = new ManifestLoader(false).multiNetwork(true).load("in.yaml", new StringReader(yaml)).model();
    return ConnectivityAnalyzer.analyze(model).connections().stream()
        .filter(c -> c.src() instanceof Peer.WorkloadPeer && c.dst() instanceof Peer.WorkloadPeer)
        .map(c -> c.network().label() + " " + c.src().displayName() + " => " + c.dst().displayName() + " : "
            + c.allowed())
        .toList();
  }

  @Test
  void differentPrimaryNetworksAreIsolated_aSharedSecondaryNetworkStillConnects() throws Exception {
    assertEquals(List.of(
            "flat[NAD] blue/a[Pod] => green/b[Pod] : All Connections",
            "flat[NAD] green/b[Pod] => blue/a[Pod] : All Connections"),
        lines(NAMESPACES + pod("blue", "a", "flat") + pod("green", "b", "flat")));
  }

  @Test
  void multiNetworkPolicyMatchesPodsByTheirAddressOnThatNetwork_andIgnoresPodNetworkPolicies() throws Exception {
    String policies = """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny-all, namespace: green}
        spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
        ---
        apiVersion: k8s.cni.cncf.io/v1beta1
        kind: MultiNetworkPolicy
        metadata:
          name: only-from-a
          namespace: green
          annotations: {k8s.v1.cni.cncf.io/policy-for: blue/flat}
        spec:
          podSelector: {}
          policyTypes: [Ingress]
          ingress:
          - from: [{ipBlock: {cidr: 10.0.0.0/24}}]
            ports: [{protocol: UDP, port: 53}]
        ---
        """;
    String a = "[{\"name\": \"flat\", \"ips\": [\"10.0.0.5/24\"]}]";
    String c = "[{\"name\": \"flat\", \"namespace\": \"green\", \"ips\": [\"10.0.1.5/24\"]}]";
    assertEquals(List.of(
            "flat[NAD] blue/a[Pod] => green/b[Pod] : UDP 53",
            "flat[NAD] blue/c[Pod] => blue/a[Pod] : All Connections",
            "blue[UDN] blue/c[Pod] => blue/a[Pod] : All Connections",
            "flat[NAD] green/b[Pod] => blue/a[Pod] : All Connections",
            "flat[NAD] green/b[Pod] => blue/c[Pod] : All Connections",
            "flat[NAD] blue/a[Pod] => blue/c[Pod] : All Connections",
            "blue[UDN] blue/a[Pod] => blue/c[Pod] : All Connections").stream().sorted().toList(),
        lines(NAMESPACES + policies + pod("blue", "a", a) + pod("green", "b", "flat") + pod("blue", "c", c))
            .stream().sorted().toList());
  }
}
