package io.meshwarden.ingest.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.model.NetworkRef;
import io.meshwarden.model.PrimaryNetwork;
import io.meshwarden.model.Workload;
import io.meshwarden.model.WorkloadKind;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading OVN-Kubernetes multi-network objects: validation, namespace assignment, attachments. */
class MultiNetworkLoaderTest {
  private static final String LABELLED_BLUE = """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: blue
        labels: {k8s.ovn.org/primary-user-defined-network: ""}
      ---
      """;

  private static LoadResult load(String yaml) throws ManifestException {
    return new ManifestLoader(false).multiNetwork(true).load("in.yaml", new StringReader(yaml));
  }

  private static String udn(String namespace, String name, String spec) {
    return "apiVersion: k8s.ovn.org/v1\nkind: UserDefinedNetwork\nmetadata: {name: " + name + ", namespace: "
        + namespace + "}\nspec:\n" + spec.indent(2);
  }

  private static String error(String yaml) {
    return assertThrows(ManifestException.class, () -> load(yaml)).getMessage();
  }

  @Test
  void udnTopologyMustBeLayer2OrLayer3() {
    String msg = error(udn("blue", "net", "topology: Layer4\nlayer2: {role: Primary}"));
    assertTrue(msg.startsWith("in.yaml:1: UserDefinedNetwork blue/net: invalid value \"Layer4\" for topology"), msg);
  }

  @Test
  void udnLayerConfigurationMustMatchTopology() {
    String msg = error(udn("blue", "net", "topology: Layer2\nlayer3: {role: Primary}"));
    assertTrue(msg.contains("blue/net: topology Layer2 does not match the layer configuration"), msg);
  }

  @Test
  void udnRoleMustBePrimaryOrSecondary() {
    String msg = error(udn("blue", "net", "topology: Layer3\nlayer3: {role: Admin}"));
    assertTrue(msg.contains("blue/net: invalid value \"Admin\" for role"), msg);
  }

  @Test
  void udnMustNotBeNamedDefault() {
    String msg = error(udn("blue", "default", "topology: Layer2\nlayer2: {role: Primary}"));
    assertTrue(msg.contains("blue/default: a UserDefinedNetwork must not be named default"), msg);
  }

  @Test
  void openshiftNamespacesMustNotGetAPrimaryNetwork() {
    String msg = error("""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: openshift-x
          labels: {k8s.ovn.org/primary-user-defined-network: ""}
        ---
        """ + udn("openshift-x", "net", "topology: Layer2\nlayer2: {role: Primary}"));
    assertTrue(msg.contains("openshift-x/net: assigns namespace openshift-x a primary network"), msg);
  }

  @Test
  void aNamespaceHasOnePrimaryNetwork_theSecondIsRejectedNamingTheFirst() {
    String msg = error(LABELLED_BLUE + udn("blue", "a", "topology: Layer2\nlayer2: {role: Primary}") + "---\n"
        + udn("blue", "b", "topology: Layer3\nlayer3: {role: Primary}"));
    assertTrue(msg.contains("UserDefinedNetwork blue/b: namespace blue already has primary network blue/a"), msg);
    assertTrue(msg.startsWith("in.yaml:"), msg);
  }

  @Test
  void udnIsIgnoredWhenSecondaryOrWhenItsNamespaceDidNotOptIn() throws Exception {
    LoadResult r = load("apiVersion: v1\nkind: Namespace\nmetadata: {name: blue}\n---\n"
        + udn("blue", "net", "topology: Layer2\nlayer2: {role: Primary}") + "---\n"
        + udn("green", "sec", "topology: Layer2\nlayer2: {role: Secondary}"));
    assertTrue(r.model().networks().primaryByNamespace().isEmpty());
    assertTrue(r.warnings().stream().anyMatch(w -> w.toString().contains("blue/net is ignored: namespace blue lacks the"
        + " k8s.ovn.org/primary-user-defined-network label")), r.warnings().toString());
    assertTrue(r.warnings().stream().anyMatch(w -> w.toString().contains("green/sec is ignored: secondary")),
        r.warnings().toString());
  }

  @Test
  void cudnJoinsTheLabelledNamespacesItSelects() throws Exception {
    LoadResult r = load(LABELLED_BLUE + """
        apiVersion: v1
        kind: Namespace
        metadata: {name: plain}
        ---
        apiVersion: k8s.ovn.org/v1
        kind: ClusterUserDefinedNetwork
        metadata: {name: shared}
        spec:
          namespaceSelector: {}
          network: {topology: Layer2, layer2: {role: Primary}}
        """);
    assertEquals(new PrimaryNetwork("shared", true, "shared"), r.model().networks().primary("blue"));
    assertNull(r.model().networks().primary("plain"));
    assertTrue(r.warnings().stream().anyMatch(w -> w.toString().contains("shared: namespace plain is not added")),
        r.warnings().toString());
  }

  @Test
  void multiNetworkPolicyMustSayWhichNetworksItIsFor() {
    String msg = error("""
        apiVersion: k8s.cni.cncf.io/v1beta1
        kind: MultiNetworkPolicy
        metadata: {name: p, namespace: ns1}
        spec:
          podSelector: {}
          policyTypes: [Ingress]
        """);
    assertTrue(msg.contains("MultiNetworkPolicy ns1/p: the k8s.v1.cni.cncf.io/policy-for annotation must name"), msg);
  }

  @Test
  void multiNetworkPolicyRulesAreValidatedLikeNetworkPolicyRules() {
    String msg = error("""
        apiVersion: k8s.cni.cncf.io/v1beta1
        kind: MultiNetworkPolicy
        metadata:
          name: p
          namespace: ns1
          annotations: {k8s.v1.cni.cncf.io/policy-for: net}
        spec:
          podSelector: {}
          ingress: [{from: [{}]}]
        """);
    assertTrue(msg.contains("MultiNetworkPolicy ns1/p ingress rule: rule NetworkPolicyPeer error: cannot have empty"
        + " rule peer"), msg);
  }

  @Test
  void podNetworksAnnotation_listAndJsonForms() throws Exception {
    LoadResult r = load("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: a
          namespace: ns1
          annotations: {k8s.v1.cni.cncf.io/networks: "net1, other/net2@eth2"}
        spec: {containers: []}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: b
          namespace: ns1
          annotations:
            k8s.v1.cni.cncf.io/networks: '[{"name": "net1", "namespace": "ns9", "ips": ["10.0.0.5/24"]}]'
        spec: {containers: []}
        """);
    List<Workload> ws = r.model().workloads();
    assertEquals(List.of(new NetworkRef(null, "net1", List.of()), new NetworkRef("other", "net2", List.of())),
        ws.get(0).secondaryNetworks());
    assertEquals(List.of(new NetworkRef("ns9", "net1", List.of("10.0.0.5/24"))), ws.get(1).secondaryNetworks());
  }

  @Test
  void virtualMachine_templateLabels_multusNetworks_andCloudInitSecondaryAddresses() throws Exception {
    LoadResult r = load("""
        apiVersion: kubevirt.io/v1
        kind: VirtualMachine
        metadata: {name: vm1, namespace: ns1}
        spec:
          template:
            metadata:
              labels: {app: db}
            spec:
              networks:
              - {name: default, pod: {}}
              - {name: data, multus: {networkName: flat}}
              volumes:
              - name: cloudinit
                cloudInitNoCloud:
                  networkData: |
                    ethernets:
                      eth0: {addresses: [10.1.1.1/24]}
                      eth1: {addresses: [10.200.0.1/24]}
                    version: 2
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: virt-launcher-vm1-abcde, namespace: ns1}
        spec: {containers: []}
        """);
    assertEquals(1, r.model().workloads().size());
    Workload vm = r.model().workloads().get(0);
    assertEquals(WorkloadKind.VirtualMachine, vm.kind());
    assertEquals("db", vm.podLabels().get("app"));
    assertEquals(List.of(new NetworkRef(null, "flat", List.of("10.200.0.1/24"))), vm.secondaryNetworks());
    assertTrue(r.warnings().stream().anyMatch(w -> w.toString().contains("skipped virt-launcher pod ns1/virt-launcher-vm1-abcde")));
  }

  @Test
  void withoutMultiNetwork_theKindsAreSkippedAndCounted() throws Exception {
    LoadResult r = new ManifestLoader(false).load("in.yaml", new StringReader(
        udn("blue", "default", "topology: Layer9") + "---\n"
            + "apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: n}\n"));
    assertEquals(1, r.skippedKinds().get("UserDefinedNetwork"));
    assertEquals(1, r.skippedKinds().get("NetworkAttachmentDefinition"));
    assertTrue(!r.model().networks().enabled());
  }
}
