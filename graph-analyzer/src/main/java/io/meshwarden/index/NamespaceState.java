package io.meshwarden.index;

import io.meshwarden.ingest.manifest.Converted;
import io.meshwarden.ingest.manifest.EndpointAddresses;
import io.meshwarden.model.IngressRoute;
import io.meshwarden.model.MeshResource;
import io.meshwarden.model.NetworkPolicy;
import io.meshwarden.model.Service;
import io.meshwarden.model.ServiceAccount;
import io.meshwarden.model.Workload;
import io.meshwarden.model.WorkloadKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The objects of one namespace and the step that turns them into a {@link NamespaceView}: pods
 * follow their owner references to the workload (Pod → ReplicaSet → Deployment, Pod → Job →
 * CronJob), so a rollout's new ReplicaSet is the same workload and ReplicaSets owned by a
 * Deployment are never workloads of their own. Owned by the index's writer; not thread-safe.
 */
final class NamespaceState {
  /** The label the Deployment controller gives a ReplicaSet's pods, also the suffix of its name. */
  private static final String POD_TEMPLATE_HASH = "pod-template-hash";

  final String name;
  final Map<ObjectKey, Entry> entries = new HashMap<>();
  NamespaceView view;

  NamespaceState(String name) {
    this.name = name;
    this.view = NamespaceView.empty(name);
  }

  /** Rebuilds the view from the objects; records the namespace's pod addresses in {@code ips}. */
  NamespaceView rebuild(Instant now, IpHistory ips) {
    Map<String, Converted.ControllerObject> controllers = new HashMap<>();
    List<Converted.PodObject> pods = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    List<ServiceAccount> accounts = new ArrayList<>();
    List<IngressRoute> routes = new ArrayList<>();
    List<NetworkPolicy> policies = new ArrayList<>();
    List<MeshResource> mesh = new ArrayList<>();
    List<Converted.EndpointAddress> addresses = new ArrayList<>();
    List<Diagnostic> diagnostics = new ArrayList<>();
    List<ObjectKey> keys = new ArrayList<>(entries.keySet());
    keys.sort(Comparator.comparing(ObjectKey::kind).thenComparing(ObjectKey::name));
    for (ObjectKey k : keys) {
      Entry e = entries.get(k);
      diagnostics.addAll(e.diagnostics());
      Converted c = e.good();
      if (c instanceof Converted.ControllerObject w) {
        controllers.put(key(w.workload().kind(), w.workload().name()), w);
      } else if (c instanceof Converted.PodObject p) {
        pods.add(p);
      } else if (c instanceof Converted.ServiceObject s) {
        services.add(s.service());
      } else if (c instanceof Converted.ServiceAccountObject sa) {
        accounts.add(sa.serviceAccount());
      } else if (c instanceof Converted.IngressObject i) {
        routes.add(i.route());
      } else if (c instanceof Converted.NetworkPolicyObject np) {
        policies.add(np.policy());
      } else if (c instanceof Converted.MeshObject m) {
        mesh.add(m.resource());
      } else if (c instanceof Converted.EndpointsObject ep) {
        addresses.addAll(ep.addresses());
      }
    }

    // Workloads: top-level controllers first, then pods whose owner the index has not seen.
    Map<String, Workload> workloads = new TreeMap<>();
    for (Converted.ControllerObject c : controllers.values()) {
      if (c.owner() == null) {
        Workload w = c.workload();
        workloads.put(sortKey(w.kind(), w.name()), specOnly(w));
      }
    }
    Map<String, List<Converted.PodObject>> podsByWorkload = new LinkedHashMap<>();
    pods.sort(Comparator.comparing(Converted.PodObject::podName));
    for (Converted.PodObject p : pods) {
      String[] top = top(p, controllers);
      String sk = sortKey(WorkloadKind.valueOf(top[0]), top[1]);
      podsByWorkload.computeIfAbsent(sk, k -> new ArrayList<>()).add(p);
      if (!workloads.containsKey(sk)) {
        workloads.put(sk, new Workload(p.namespace(), WorkloadKind.valueOf(top[0]), top[1], p.labels(),
            p.containers(), p.serviceAccount(), p.hostNetwork(), 0, List.of(), p.origin(), p.networks()));
      }
    }

    Map<String, WorkloadStatus> status = new HashMap<>();
    Map<String, IpOwner> live = new HashMap<>();
    Map<String, Workload> byId = new HashMap<>();
    for (Map.Entry<String, Workload> e : workloads.entrySet()) {
      Workload w = e.getValue();
      byId.put(w.id(), w);
      List<String> names = new ArrayList<>();
      Set<String> podIps = new LinkedHashSet<>();
      for (Converted.PodObject p : podsByWorkload.getOrDefault(e.getKey(), List.of())) {
        if (p.terminated()) {
          continue;
        }
        names.add(p.podName());
        for (String ip : p.ips()) {
          podIps.add(ip);
          live.put(ip, new IpOwner(ip, name, w.kind(), w.name(), p.podName(), now, null));
        }
      }
      status.put(w.id(), new WorkloadStatus(names.size(), names, List.copyOf(podIps)));
    }
    // Endpoint addresses name pods the index may not have seen (yet); pods' own addresses win.
    EndpointAddresses.owners(addresses, workloads.values(), services).forEach((w, extra) -> {
      WorkloadStatus s = status.get(w.id());
      List<String> all = new ArrayList<>(s.podIps());
      for (String ip : extra) {
        if (!live.containsKey(ip)) {
          all.add(ip);
          live.put(ip, new IpOwner(ip, name, w.kind(), w.name(), null, now, null));
        }
      }
      status.put(w.id(), new WorkloadStatus(s.pods(), s.podNames(), all));
    });
    ips.namespace(name, live, now);

    services.sort(Comparator.comparing(Service::name));
    NamespaceView next = new NamespaceView(name, List.copyOf(workloads.values()), services, accounts, routes, policies,
        mesh, status, diagnostics);
    // Keep the old spec lists when nothing policy sees changed, so readers can compare by reference.
    if (next.sameSpec(view)) {
      next = new NamespaceView(name, view.workloads(), view.services(), view.serviceAccounts(), view.ingressRoutes(),
          view.networkPolicies(), view.meshResources(), status, diagnostics);
    }
    return next;
  }

  /**
   * The workload a pod belongs to, as {kind, name}: its managing controller, followed up through
   * the controllers the index holds. A ReplicaSet the index has not seen yet still names its
   * Deployment when the pod carries the ReplicaSet's template hash.
   */
  private static String[] top(Converted.PodObject p, Map<String, Converted.ControllerObject> controllers) {
    WorkloadKind kind = p.ownerKind();
    String owner = p.ownerName();
    for (int depth = 0; depth < 4; depth++) {
      Converted.ControllerObject c = controllers.get(key(kind, owner));
      if (c == null) {
        String hash = p.labels().get(POD_TEMPLATE_HASH);
        if (kind == WorkloadKind.ReplicaSet && hash != null && owner.endsWith("-" + hash)
            && owner.length() > hash.length() + 1) {
          return new String[] {WorkloadKind.Deployment.name(), owner.substring(0, owner.length() - hash.length() - 1)};
        }
        break;
      }
      if (c.owner() == null) {
        break;
      }
      kind = c.owner().kind();
      owner = c.owner().name();
    }
    return new String[] {kind.name(), owner};
  }

  private static String key(WorkloadKind kind, String name) {
    return kind.name() + "/" + name;
  }

  /** Workloads sort by name, then kind, as {@link io.meshwarden.model.ClusterModel.Builder} does. */
  private static String sortKey(WorkloadKind kind, String name) {
    return name + "\u0000" + kind.name();
  }

  /** The workload as policy sees it: status (replicas, pod IPs) left out. */
  private static Workload specOnly(Workload w) {
    if (w.replicas() == 0 && w.podIps().isEmpty()) {
      return w;
    }
    return new Workload(w.namespace(), w.kind(), w.name(), w.podLabels(), w.containers(), w.serviceAccount(),
        w.hostNetwork(), 0, List.of(), w.origin(), w.secondaryNetworks());
  }
}
