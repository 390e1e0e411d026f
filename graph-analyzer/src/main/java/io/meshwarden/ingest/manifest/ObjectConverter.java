package io.meshwarden.ingest.manifest;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.MeshResource;
import io.meshwarden.model.Namespace;
import io.meshwarden.model.Origin;
import io.meshwarden.model.ServiceAccount;
import io.meshwarden.model.WorkloadKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One Kubernetes object in, one {@link Converted} out: the per-object step that the manifest
 * reader and the live index share. Objects come either as parsed documents (files) or as fabric8
 * objects (informers; kinds without a fabric8 model as {@link GenericKubernetesResource}).
 *
 * <p>A bad object is a {@link ManifestException} naming its origin; nothing else is thrown for
 * input. Stateless apart from its configuration, so one instance may serve any number of threads.
 */
public final class ObjectConverter {
  /** Kinds that carry policy, pods or the names policy refers to. */
  static final Set<String> USED_KINDS = Set.of("Namespace", "Pod", "Deployment", "ReplicaSet",
      "ReplicationController", "StatefulSet", "DaemonSet", "Job", "CronJob", "Service", "ServiceAccount", "Ingress",
      "Route", "NetworkPolicy", "AdminNetworkPolicy", "BaselineAdminNetworkPolicy", "ClusterNetworkPolicy", "Node", "EndpointSlice",
      "Endpoints");
  /** Mesh and gateway kinds, kept as plain data for later stages. */
  static final Set<String> MESH_KINDS = Set.of("AuthorizationPolicy", "PeerAuthentication",
      "RequestAuthentication", "Gateway", "HTTPRoute", "GRPCRoute", "TCPRoute", "TLSRoute", "UDPRoute",
      "ReferenceGrant", "GatewayClass", "VirtualService", "DestinationRule", "ServiceEntry", "Sidecar");

  private final boolean multiNetwork;
  private final TypedObjects typed = new TypedObjects();

  /** With {@code multiNetwork}, pods and pod templates also yield the secondary networks they ask for. */
  public ObjectConverter(boolean multiNetwork) {
    this.multiNetwork = multiNetwork;
  }

  /**
   * Converts a fabric8 object as an informer delivers it. Namespaced objects without a namespace
   * land in {@code defaultNamespace}, as with kubectl.
   */
  public Converted convert(HasMetadata object, String defaultNamespace, Origin origin, Consumer<Diagnostic> warn)
      throws ManifestException {
    ObjectMeta meta = object.getMetadata();
    String name = meta == null ? null : meta.getName();
    String kind = object.getKind();
    if (name == null || name.isEmpty()) {
      throw new ManifestException(origin, kind + " without metadata.name");
    }
    String ns = meta.getNamespace() == null || meta.getNamespace().isEmpty() ? defaultNamespace : meta.getNamespace();
    if (object instanceof GenericKubernetesResource g) {
      return convertDocument(kind, document(g), ns, name, origin, warn);
    }
    return convertTyped(object, ns, name, origin, warn);
  }

  /** Converts a parsed document; {@code ns} is already defaulted. */
  Converted convertDocument(String kind, Map<String, Object> doc, String ns, String name, Origin origin,
      Consumer<Diagnostic> warn) throws ManifestException {
    if (!USED_KINDS.contains(kind) && !MESH_KINDS.contains(kind)) {
      return new Converted.Unused(kind);
    }
    switch (kind) {
      case "Namespace" -> {
        Map<String, Object> raw = Fields.map(Fields.map(doc, "metadata"), "labels");
        Map<String, String> labels = new LinkedHashMap<>();
        if (raw != null) {
          raw.forEach((k, v) -> labels.put(k, v == null ? "" : String.valueOf(v)));
        }
        return new Converted.NamespaceObject(new Namespace(name, labels, origin));
      }
      case "EndpointSlice" -> {
        return new Converted.EndpointsObject(EndpointAddresses.endpointSlice(doc, ns, origin));
      }
      case "Endpoints" -> {
        return new Converted.EndpointsObject(EndpointAddresses.endpoints(doc, ns, name, origin));
      }
      case "Pod" -> {
        return convertTyped(typed.bind(doc, Pod.class, origin), ns, name, origin, warn);
      }
      case "Deployment" -> {
        return convertTyped(typed.bind(doc, Deployment.class, origin), ns, name, origin, warn);
      }
      case "ReplicaSet" -> {
        return convertTyped(typed.bind(doc, ReplicaSet.class, origin), ns, name, origin, warn);
      }
      case "ReplicationController" -> {
        return convertTyped(typed.bind(doc, ReplicationController.class, origin), ns, name, origin, warn);
      }
      case "StatefulSet" -> {
        return convertTyped(typed.bind(doc, StatefulSet.class, origin), ns, name, origin, warn);
      }
      case "DaemonSet" -> {
        return convertTyped(typed.bind(doc, DaemonSet.class, origin), ns, name, origin, warn);
      }
      case "Job" -> {
        return convertTyped(typed.bind(doc, Job.class, origin), ns, name, origin, warn);
      }
      case "CronJob" -> {
        return convertTyped(typed.bind(doc, CronJob.class, origin), ns, name, origin, warn);
      }
      case "Service" -> {
        return convertTyped(typed.bind(doc, io.fabric8.kubernetes.api.model.Service.class, origin), ns, name, origin,
            warn);
      }
      case "ServiceAccount" -> {
        return new Converted.ServiceAccountObject(new ServiceAccount(ns, name, origin));
      }
      case "Ingress" -> {
        return convertTyped(typed.bind(doc, Ingress.class, origin), ns, name, origin, warn);
      }
      case "Route" -> {
        return new Converted.IngressObject(ServiceConverter.route(doc, ns, origin));
      }
      case "NetworkPolicy" -> {
        io.meshwarden.model.NetworkPolicy p = NetworkPolicyConverter.convert(typed.bind(doc,
            io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class, origin), ns, origin, "NetworkPolicy",
            doc, warn);
        return new Converted.NetworkPolicyObject(NetworkPolicyConverter.withRuleLines(p, doc));
      }
      case "AdminNetworkPolicy", "BaselineAdminNetworkPolicy" -> {
        return new Converted.AdminPolicyObject(
            AdminPolicyConverter.convert(doc, kind.startsWith("Baseline"), origin, warn));
      }
      case "ClusterNetworkPolicy" -> {
        // Antrea's crd.antrea.io ClusterNetworkPolicy shares the kind: the group tells them apart.
        if (!ClusterPolicyConverter.isOurs(doc)) {
          return new Converted.Unused(kind + "." + group(Fields.str(doc, "apiVersion")));
        }
        return new Converted.ClusterPolicyObject(ClusterPolicyConverter.convert(doc, origin, warn));
      }
      case "Node" -> {
        return new Converted.NodeObject(NodeConverter.convert(doc, name, origin));
      }
      default -> {
        Map<String, Object> meta = Fields.map(doc, "metadata");
        return new Converted.MeshObject(new MeshResource(String.valueOf(Fields.str(doc, "apiVersion")), kind, ns,
            name, stringMap(Fields.map(meta, "annotations")), Fields.map(doc, "spec"), origin));
      }
    }
  }

  private Converted convertTyped(HasMetadata o, String ns, String name, Origin origin, Consumer<Diagnostic> warn)
      throws ManifestException {
    if (o instanceof Pod p) {
      return WorkloadConverter.pod(p, ns, multiNetwork, origin, warn);
    }
    if (o instanceof Deployment d) {
      return controller(WorkloadKind.Deployment, d, ns, name,
          d.getSpec() == null ? null : d.getSpec().getTemplate(),
          d.getSpec() == null ? null : d.getSpec().getReplicas(), origin, warn);
    }
    if (o instanceof ReplicaSet d) {
      return controller(WorkloadKind.ReplicaSet, d, ns, name,
          d.getSpec() == null ? null : d.getSpec().getTemplate(),
          d.getSpec() == null ? null : d.getSpec().getReplicas(), origin, warn);
    }
    if (o instanceof ReplicationController d) {
      return controller(WorkloadKind.ReplicationController, d, ns, name,
          d.getSpec() == null ? null : d.getSpec().getTemplate(),
          d.getSpec() == null ? null : d.getSpec().getReplicas(), origin, warn);
    }
    if (o instanceof StatefulSet d) {
      return controller(WorkloadKind.StatefulSet, d, ns, name,
          d.getSpec() == null ? null : d.getSpec().getTemplate(),
          d.getSpec() == null ? null : d.getSpec().getReplicas(), origin, warn);
    }
    if (o instanceof DaemonSet d) {
      return controller(WorkloadKind.DaemonSet, d, ns, name,
          d.getSpec() == null ? null : d.getSpec().getTemplate(), 1, origin, warn);
    }
    if (o instanceof Job d) {
      return controller(WorkloadKind.Job, d, ns, name,
          d.getSpec() == null ? null : d.getSpec().getTemplate(), 1, origin, warn);
    }
    if (o instanceof CronJob d) {
      var jobSpec = d.getSpec() == null || d.getSpec().getJobTemplate() == null ? null
          : d.getSpec().getJobTemplate().getSpec();
      return controller(WorkloadKind.CronJob, d, ns, name, jobSpec == null ? null : jobSpec.getTemplate(), 1,
          origin, warn);
    }
    if (o instanceof io.fabric8.kubernetes.api.model.Service s) {
      return new Converted.ServiceObject(ServiceConverter.service(s, ns, origin));
    }
    if (o instanceof Ingress i) {
      return new Converted.IngressObject(ServiceConverter.ingress(i, ns, origin));
    }
    if (o instanceof io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy np) {
      return new Converted.NetworkPolicyObject(NetworkPolicyConverter.convert(np, ns, origin, warn));
    }
    if (o instanceof io.fabric8.kubernetes.api.model.Namespace n) {
      Map<String, String> labels = n.getMetadata().getLabels();
      return new Converted.NamespaceObject(new Namespace(name, labels == null ? Map.of() : labels, origin));
    }
    if (o instanceof io.fabric8.kubernetes.api.model.Node n) {
      return new Converted.NodeObject(NodeConverter.convert(n, name, origin));
    }
    if (o instanceof io.fabric8.kubernetes.api.model.ServiceAccount) {
      return new Converted.ServiceAccountObject(new ServiceAccount(ns, name, origin));
    }
    return new Converted.Unused(o.getKind());
  }

  private Converted controller(WorkloadKind kind, HasMetadata o, String ns, String name,
      io.fabric8.kubernetes.api.model.PodTemplateSpec template, Integer replicas, Origin origin,
      Consumer<Diagnostic> warn) throws ManifestException {
    return new Converted.ControllerObject(
        WorkloadConverter.controller(kind, ns, name, template, replicas, multiNetwork, origin, warn),
        managingController(o.getMetadata().getOwnerReferences(), null));
  }

  /**
   * The owner reference that manages the object; a Node owns static pods but manages nothing. An
   * owner of a kind that is no {@link WorkloadKind} counts as {@code unknownKind} (null: no owner).
   */
  static Converted.OwnerRef managingController(List<OwnerReference> owners, WorkloadKind unknownKind) {
    if (owners == null) {
      return null;
    }
    for (OwnerReference o : owners) {
      if (Boolean.TRUE.equals(o.getController()) && o.getName() != null && !o.getName().isEmpty()
          && !"Node".equals(o.getKind())) {
        WorkloadKind k = WorkloadKind.forKind(o.getKind());
        k = k == null ? unknownKind : k;
        return k == null ? null : new Converted.OwnerRef(k, o.getName());
      }
    }
    return null;
  }

  /** The API group of an apiVersion ({@code core} for the core group's bare version). */
  private static String group(String apiVersion) {
    if (apiVersion == null || apiVersion.isEmpty()) {
      return "unknown";
    }
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "core" : apiVersion.substring(0, slash);
  }

  /** A generic resource as the plain document the map-based converters read. */
  private static Map<String, Object> document(GenericKubernetesResource g) {
    Map<String, Object> doc = new LinkedHashMap<>(g.getAdditionalProperties());
    doc.put("apiVersion", g.getApiVersion());
    doc.put("kind", g.getKind());
    Map<String, Object> meta = new LinkedHashMap<>();
    ObjectMeta m = g.getMetadata();
    meta.put("name", m.getName());
    if (m.getNamespace() != null) {
      meta.put("namespace", m.getNamespace());
    }
    if (m.getLabels() != null) {
      meta.put("labels", new LinkedHashMap<String, Object>(m.getLabels()));
    }
    if (m.getAnnotations() != null) {
      meta.put("annotations", new LinkedHashMap<String, Object>(m.getAnnotations()));
    }
    doc.put("metadata", meta);
    return doc;
  }

  private static Map<String, String> stringMap(Map<String, Object> raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw != null) {
      raw.forEach((k, v) -> out.put(k, v == null ? "" : String.valueOf(v)));
    }
    return out;
  }
}
