package io.meshwarden.ingest.manifest;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.meshwarden.model.Container;
import io.meshwarden.model.ContainerPort;
import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.NetworkRef;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Workload;
import io.meshwarden.model.WorkloadKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Pod controllers and pods → {@link Workload}s. */
final class WorkloadConverter {
  private WorkloadConverter() {}

  /**
   * A pod controller's workload; with {@code multiNetwork}, also the secondary networks its pod
   * template asks for.
   */
  static Workload controller(WorkloadKind kind, String namespace, String name, PodTemplateSpec template,
      Integer replicas, boolean multiNetwork, Origin origin, Consumer<Diagnostic> warn) throws ManifestException {
    if (template == null) {
      throw new ManifestException(origin, kind + " " + namespace + "/" + name + " has no pod template");
    }
    Map<String, String> labels = template.getMetadata() == null || template.getMetadata().getLabels() == null
        ? Map.of() : template.getMetadata().getLabels();
    PodSpec spec = template.getSpec();
    return new Workload(namespace, kind, name, labels, containers(spec, origin, warn), serviceAccount(spec),
        spec != null && Boolean.TRUE.equals(spec.getHostNetwork()),
        replicas == null ? 1 : replicas, List.of(), origin,
        multiNetwork ? networks(template.getMetadata(), origin, kind + " " + namespace + "/" + name) : List.of());
  }

  private static List<NetworkRef> networks(ObjectMeta meta, Origin origin, String where) throws ManifestException {
    if (meta == null || meta.getAnnotations() == null) {
      return List.of();
    }
    return NetworkAnnotations.podNetworks(meta.getAnnotations().get(NetworkAnnotations.NETWORKS), origin, where);
  }

  static Converted.PodObject pod(Pod pod, String namespace, boolean multiNetwork, Origin origin, Consumer<Diagnostic> warn)
      throws ManifestException {
    String name = pod.getMetadata().getName();
    // Only the managing controller names the workload; a Node owns static pods but manages nothing.
    Converted.OwnerRef owner = ObjectConverter.managingController(pod.getMetadata().getOwnerReferences(),
        WorkloadKind.Pod);
    WorkloadKind ownerKind = owner == null ? WorkloadKind.Pod : owner.kind();
    String ownerName = owner == null ? name : owner.name();
    Set<String> ips = new LinkedHashSet<>();
    if (pod.getStatus() != null) {
      if (pod.getStatus().getPodIP() != null && !pod.getStatus().getPodIP().isEmpty()) {
        ips.add(pod.getStatus().getPodIP());
      }
      if (pod.getStatus().getPodIPs() != null) {
        for (PodIP ip : pod.getStatus().getPodIPs()) {
          if (ip.getIp() != null) {
            ips.add(ip.getIp());
          }
        }
      }
    }
    PodSpec spec = pod.getSpec();
    Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    return new Converted.PodObject(namespace, name, ownerKind, ownerName, labels, containers(spec, origin, warn),
        serviceAccount(spec), spec != null && Boolean.TRUE.equals(spec.getHostNetwork()), List.copyOf(ips), origin,
        multiNetwork ? networks(pod.getMetadata(), origin, "Pod " + namespace + "/" + name) : List.of(),
        pod.getStatus() == null ? null : pod.getStatus().getPhase());
  }

  private static String serviceAccount(PodSpec spec) {
    if (spec == null) {
      return "default";
    }
    if (spec.getServiceAccountName() != null && !spec.getServiceAccountName().isEmpty()) {
      return spec.getServiceAccountName();
    }
    if (spec.getServiceAccount() != null && !spec.getServiceAccount().isEmpty()) {
      return spec.getServiceAccount();
    }
    return "default";
  }

  private static List<Container> containers(PodSpec spec, Origin origin, Consumer<Diagnostic> warn)
      throws ManifestException {
    List<Container> out = new ArrayList<>();
    if (spec == null) {
      return out;
    }
    List<io.fabric8.kubernetes.api.model.Container> all = new ArrayList<>();
    // Init containers finish before the pod serves, so their ports never take traffic.
    if (spec.getContainers() != null) {
      all.addAll(spec.getContainers());
    }
    for (io.fabric8.kubernetes.api.model.Container c : all) {
      List<ContainerPort> ports = new ArrayList<>();
      if (c.getPorts() != null) {
        for (io.fabric8.kubernetes.api.model.ContainerPort p : c.getPorts()) {
          if (p.getContainerPort() == null || p.getContainerPort() < 1 || p.getContainerPort() > 65535) {
            warn.accept(Diagnostic.warning("invalid-container-port", origin, "container " + c.getName() + ": port "
                + (p.getName() == null ? "" : p.getName() + " ") + "has no valid containerPort (" + p.getContainerPort()
                + "); ignored"));
            continue;
          }
          Protocol protocol;
          try {
            protocol = Protocol.parse(p.getProtocol());
          } catch (IllegalArgumentException e) {
            throw new ManifestException(origin, "container " + c.getName() + ": " + e.getMessage());
          }
          ports.add(new ContainerPort(p.getName(), p.getContainerPort(), protocol,
              p.getHostPort() == null ? 0 : p.getHostPort()));
        }
      }
      out.add(new Container(c.getName() == null ? "" : c.getName(), c.getImage(), ports, probePorts(c, ports)));
    }
    return out;
  }

  /** Ports the kubelet probes (HTTP, TCP or gRPC), named ports resolved on the container. */
  private static List<Integer> probePorts(io.fabric8.kubernetes.api.model.Container c, List<ContainerPort> ports) {
    java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
    for (io.fabric8.kubernetes.api.model.Probe p : java.util.Arrays.asList(c.getLivenessProbe(), c.getReadinessProbe(),
        c.getStartupProbe())) {
      if (p == null) {
        continue;
      }
      io.fabric8.kubernetes.api.model.IntOrString port = null;
      if (p.getHttpGet() != null) {
        port = p.getHttpGet().getPort();
      } else if (p.getTcpSocket() != null) {
        port = p.getTcpSocket().getPort();
      } else if (p.getGrpc() != null && p.getGrpc().getPort() != null) {
        out.add(p.getGrpc().getPort());
      }
      if (port == null) {
        continue;
      }
      if (port.getIntVal() != null) {
        out.add(port.getIntVal());
      } else if (port.getStrVal() != null) {
        String name = port.getStrVal();
        ports.stream().filter(cp -> name.equals(cp.name())).findFirst().ifPresent(cp -> out.add(cp.port()));
        if (name.chars().allMatch(Character::isDigit) && !name.isEmpty()) {
          out.add(Integer.parseInt(name));
        }
      }
    }
    out.removeIf(x -> x < 1 || x > 65535);
    return List.copyOf(out);
  }
}
