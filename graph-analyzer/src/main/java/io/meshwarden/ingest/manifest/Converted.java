package io.meshwarden.ingest.manifest;

import io.meshwarden.model.AdminNetworkPolicy;
import io.meshwarden.model.ClusterNetworkPolicy;
import io.meshwarden.model.ClusterNode;
import io.meshwarden.model.Container;
import io.meshwarden.model.IngressRoute;
import io.meshwarden.model.MeshResource;
import io.meshwarden.model.Namespace;
import io.meshwarden.model.NetworkPolicy;
import io.meshwarden.model.NetworkRef;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Service;
import io.meshwarden.model.ServiceAccount;
import io.meshwarden.model.Workload;
import io.meshwarden.model.WorkloadKind;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One Kubernetes object reduced to the fields analysis uses, before any cross-object step (pods
 * merged into their owner, endpoint addresses attached). The manifest reader and the live index
 * both collect these; neither sees a fabric8 type past {@link ObjectConverter}.
 */
public sealed interface Converted {

  /** A namespace and its labels. */
  record NamespaceObject(Namespace namespace) implements Converted {}

  /**
   * A pod controller (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob,
   * ReplicationController) as its own workload, and the controller that manages it in turn (a
   * Deployment for a ReplicaSet, a CronJob for a Job), or null.
   */
  record ControllerObject(Workload workload, OwnerRef owner) implements Converted {
    public ControllerObject {
      Objects.requireNonNull(workload, "workload");
    }
  }

  /** The managing controller named by an object's owner references. */
  record OwnerRef(WorkloadKind kind, String name) {
    public OwnerRef {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * A pod as read. {@code ownerKind}/{@code ownerName} is its managing controller (itself for a
   * bare pod); {@code phase} is its status phase, null when the object has no status.
   */
  record PodObject(String namespace, String podName, WorkloadKind ownerKind, String ownerName,
      Map<String, String> labels, List<Container> containers, String serviceAccount, boolean hostNetwork,
      List<String> ips, Origin origin, List<NetworkRef> networks, String phase) implements Converted {
    public PodObject {
      labels = Map.copyOf(labels);
      containers = List.copyOf(containers);
      ips = List.copyOf(ips);
      networks = List.copyOf(networks);
    }

    /** Whether the pod has finished (Succeeded or Failed): it holds no address any more. */
    public boolean terminated() {
      return "Succeeded".equals(phase) || "Failed".equals(phase);
    }
  }

  /** A Service. */
  record ServiceObject(Service service) implements Converted {}

  /** A ServiceAccount. */
  record ServiceAccountObject(ServiceAccount serviceAccount) implements Converted {}

  /** An Ingress or OpenShift Route. */
  record IngressObject(IngressRoute route) implements Converted {}

  /** A NetworkPolicy. */
  record NetworkPolicyObject(NetworkPolicy policy) implements Converted {}

  /** An AdminNetworkPolicy or the BaselineAdminNetworkPolicy. */
  record AdminPolicyObject(AdminNetworkPolicy policy) implements Converted {}

  /** A ClusterNetworkPolicy of policy.networking.k8s.io. */
  record ClusterPolicyObject(ClusterNetworkPolicy policy) implements Converted {}

  /** A Node: its labels and addresses. */
  record NodeObject(ClusterNode node) implements Converted {}

  /** A mesh or gateway object kept as plain data. */
  record MeshObject(MeshResource resource) implements Converted {}

  /** The addresses of one EndpointSlice or Endpoints object. */
  record EndpointsObject(List<EndpointAddress> addresses) implements Converted {
    public EndpointsObject {
      addresses = List.copyOf(addresses);
    }
  }

  /** One endpoint address of a Service, with the pod it names when the object says. */
  record EndpointAddress(String namespace, String service, String ip, String podName, Origin origin) {}

  /** An object of a kind policy analysis does not use. */
  record Unused(String kind) implements Converted {}
}
