package io.meshwarden.ingest.manifest;

import io.meshwarden.ingest.manifest.Converted.EndpointAddress;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Service;
import io.meshwarden.model.Workload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pod addresses from EndpointSlices (discovery.k8s.io/v1) and Endpoints (v1). Controllers in
 * manifests carry no pod IPs, but flow records often carry nothing else; the addresses of a
 * Service's endpoints name its pods, and through the Service's selector, their workload.
 */
public final class EndpointAddresses {
  private EndpointAddresses() {}

  static List<EndpointAddress> endpointSlice(Map<String, Object> doc, String namespace, Origin origin) {
    String service = Fields.str(Fields.map(Fields.map(doc, "metadata"), "labels"), "kubernetes.io/service-name");
    List<Object> endpoints = Fields.list(doc, "endpoints");
    List<EndpointAddress> out = new ArrayList<>();
    if (service == null || endpoints == null) {
      return out;
    }
    for (Object e : endpoints) {
      Map<String, Object> ref = Fields.map(e, "targetRef");
      List<Object> ips = Fields.list(e, "addresses");
      if (ips != null) {
        for (Object ip : ips) {
          out.add(new EndpointAddress(namespace, service, String.valueOf(ip), podName(ref), origin));
        }
      }
    }
    return out;
  }

  static List<EndpointAddress> endpoints(Map<String, Object> doc, String namespace, String service, Origin origin) {
    List<Object> subsets = Fields.list(doc, "subsets");
    List<EndpointAddress> out = new ArrayList<>();
    if (subsets == null) {
      return out;
    }
    for (Object s : subsets) {
      for (String field : List.of("addresses", "notReadyAddresses")) {
        List<Object> list = Fields.list(s, field);
        if (list == null) {
          continue;
        }
        for (Object a : list) {
          String ip = Fields.str(a, "ip");
          if (ip != null) {
            out.add(new EndpointAddress(namespace, service, ip, podName(Fields.map(a, "targetRef")), origin));
          }
        }
      }
    }
    return out;
  }

  private static String podName(Map<String, Object> ref) {
    return ref != null && "Pod".equals(Fields.str(ref, "kind")) ? Fields.str(ref, "name") : null;
  }

  /**
   * The endpoint addresses that belong to each workload. An address goes to the one workload its
   * Service selects, or, when the Service selects several (reviews v1, v2, v3), to the one whose
   * name prefixes the endpoint's pod name. The cross-object step shared by the manifest reader
   * and the live index.
   */
  public static Map<Workload, Set<String>> owners(Collection<EndpointAddress> addresses,
      Collection<Workload> workloads, Collection<Service> services) {
    Map<Workload, Set<String>> extra = new LinkedHashMap<>();
    if (addresses.isEmpty()) {
      return extra;
    }
    Map<String, Service> byName = new HashMap<>();
    services.forEach(s -> byName.put(s.namespace() + "/" + s.name(), s));
    for (EndpointAddress a : addresses) {
      Service s = byName.get(a.namespace() + "/" + a.service());
      if (s == null) {
        continue;
      }
      List<Workload> selected = workloads.stream().filter(s::selects).toList();
      Workload owner = selected.size() == 1 ? selected.get(0) : null;
      if (owner == null && a.podName() != null) {
        owner = selected.stream().filter(w -> a.podName().startsWith(w.name() + "-"))
            .max((x, y) -> Integer.compare(x.name().length(), y.name().length())).orElse(null);
      }
      if (owner != null) {
        extra.computeIfAbsent(owner, k -> new LinkedHashSet<>()).add(a.ip());
      }
    }
    return extra;
  }

  /** The workloads with the endpoint addresses that belong to them added to their pod IPs. */
  static List<Workload> attach(Collection<EndpointAddress> addresses, Collection<Workload> workloads,
      List<Service> services) {
    List<Workload> out = new ArrayList<>();
    owners(addresses, workloads, services).forEach((w, ips) -> {
      Set<String> all = new LinkedHashSet<>(w.podIps());
      all.addAll(ips);
      out.add(new Workload(w.namespace(), w.kind(), w.name(), w.podLabels(), w.containers(), w.serviceAccount(),
          w.hostNetwork(), w.replicas(), List.copyOf(all), w.origin(), w.secondaryNetworks()));
    });
    return out;
  }
}
