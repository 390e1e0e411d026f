package io.meshwarden.ingest.manifest;

import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.MultiNetworkPolicy;
import io.meshwarden.model.NetworkAttachment;
import io.meshwarden.model.NetworkPolicy;
import io.meshwarden.model.NetworkRef;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Workload;
import io.meshwarden.model.WorkloadKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The multi-network kinds that have no fabric8 model: NetworkAttachmentDefinition,
 * MultiNetworkPolicy and KubeVirt VirtualMachine, from plain maps.
 */
final class MultiNetworkConverter {
  private MultiNetworkConverter() {}

  static NetworkAttachment attachment(String namespace, String name, Origin origin) {
    return new NetworkAttachment(namespace, name, origin);
  }

  /**
   * A MultiNetworkPolicy's spec has a NetworkPolicy's shape, so it is read and validated as one;
   * only the networks it applies to are its own.
   */
  static MultiNetworkPolicy policy(Map<String, Object> doc, String namespace, String name, TypedObjects typed,
      Origin origin,
      Consumer<Diagnostic> warn) throws ManifestException {
    String where = "MultiNetworkPolicy " + namespace + "/" + name;
    String policyFor = Fields.str(Fields.map(Fields.map(doc, "metadata"), "annotations"), NetworkAnnotations.POLICY_FOR);
    if (policyFor == null || policyFor.isBlank()) {
      throw new ManifestException(origin, where + ": the " + NetworkAnnotations.POLICY_FOR
          + " annotation must name the secondary networks the policy applies to");
    }
    Map<String, Object> asNetworkPolicy = new HashMap<>(doc);
    asNetworkPolicy.put("apiVersion", "networking.k8s.io/v1");
    asNetworkPolicy.put("kind", "NetworkPolicy");
    NetworkPolicy np = NetworkPolicyConverter.convert(
        typed.bind(asNetworkPolicy, io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class, origin),
        namespace, origin, "MultiNetworkPolicy", doc, warn);
    return new MultiNetworkPolicy(np, NetworkAnnotations.policyFor(policyFor));
  }

  /** A VM is one pod (its virt-launcher) with the VM template's labels and no declared ports. */
  static Workload virtualMachine(Map<String, Object> doc, String namespace, String name, Origin origin)
      throws ManifestException {
    Map<String, Object> template = Fields.map(Fields.map(doc, "spec"), "template");
    if (template == null) {
      throw new ManifestException(origin, "VirtualMachine " + namespace + "/" + name + " has no spec.template");
    }
    Map<String, String> labels = new HashMap<>();
    Map<String, Object> raw = Fields.map(Fields.map(template, "metadata"), "labels");
    if (raw != null) {
      raw.forEach((k, v) -> labels.put(k, v == null ? "" : String.valueOf(v)));
    }
    List<NetworkRef> networks = NetworkAnnotations.vmNetworks(Fields.map(template, "spec"));
    return new Workload(namespace, WorkloadKind.VirtualMachine, name, labels, List.of(), "default", false, 1,
        List.of(), origin, networks);
  }
}
