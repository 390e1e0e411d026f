package io.meshwarden.demo.workloads;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One simulated pod: the workload it belongs to, its loopback address (its pod IP, so that the
 * control plane, which knows plaintext callers only by source address, can tell them apart) and
 * the port its server listens on (0 for a pod that only calls out, such as the load generator).
 */
public record DemoPod(String namespace, String workload, String name, String serviceAccount, String address, int port,
    Map<String, String> labels) {

  /** The pod-template-hash of every simulated pod: visible in pod names, and how a ReplicaSet names its Deployment. */
  static final String TEMPLATE_HASH = "simulated";

  /** Annotation that marks a pod as simulated by {@code demo --workloads}. */
  public static final String SIMULATED_ANNOTATION = "meshwarden.io/simulated";

  public DemoPod {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    Objects.requireNonNull(address, "address");
    labels = Map.copyOf(labels);
  }

  /** An Istio-style node id ({@code sidecar~IP~POD.NS~NS.svc.cluster.local}). */
  String nodeId() {
    return "sidecar~" + address + "~" + name + "." + namespace + "~" + namespace + ".svc.cluster.local";
  }

  /** {@code host:port} of its server. */
  String target() {
    return address + ":" + port;
  }

  /** The authority its callers use, as through the workload's Service ({@code cartservice:7070}). */
  String authority() {
    return workload + ":" + port;
  }

  /**
   * The pod as the API server would show it: owned by the ReplicaSet {@code <workload>-simulated}
   * of the Deployment, running, with its loopback address as pod IP. Applied to the live index like
   * an informer's object, so the pod, its address and its workload are known before it connects.
   */
  public Pod toPod() {
    Map<String, String> podLabels = new LinkedHashMap<>(labels);
    podLabels.put("pod-template-hash", TEMPLATE_HASH);
    PodBuilder b = new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(podLabels)
        .withAnnotations(Map.of(SIMULATED_ANNOTATION, "true"))
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
        .withName(workload + "-" + TEMPLATE_HASH).withUid("meshwarden-demo-" + workload).withController(true)
        .endOwnerReference().endMetadata()
        .withNewSpec().withServiceAccountName(serviceAccount)
        .addNewContainer().withName("server").withImage("meshwarden/simulated")
        .withPorts(port == 0 ? java.util.List.of()
            : java.util.List.of(new ContainerPortBuilder().withContainerPort(port).withProtocol("TCP").build()))
        .endContainer().endSpec()
        .withNewStatus().withPhase("Running").withPodIP(address).withPodIPs(new PodIPBuilder().withIp(address).build())
        .endStatus();
    return b.build();
  }
}
