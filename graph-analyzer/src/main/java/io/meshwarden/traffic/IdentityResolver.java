package io.meshwarden.traffic;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Service;
import io.meshwarden.model.Workload;
import io.meshwarden.model.WorkloadKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Resolves what a data source saw of a flow endpoint to a {@link PeerRef}: a workload of the model,
 * an external peer, or {@code internet}. The evidence is tried from the most to the least specific:
 * pod name, pod labels, pod IP, SPIFFE principal, the service the proxy routed to; failing those,
 * the endpoint is external (Cilium's reserved identities, a DNS name, or the IP as a /32).
 *
 * <p>When the endpoint looked like a pod (namespace, pod name or labels) but matched no single
 * workload, the result still names a peer where it can, and says why it is unresolved, so the
 * caller can count it. Built once per model; not thread-safe (it memoises answers).
 */
public final class IdentityResolver {
  /** Memo entries before the memo is dropped: keeps memory bounded under endless distinct addresses. */
  private static final int MEMO_LIMIT = 1 << 16;

  private final Map<String, List<Workload>> byNamespace = new HashMap<>();
  private final Map<String, Workload> byIp = new HashMap<>();
  private final Map<String, List<Workload>> byServiceAccount = new HashMap<>();
  private final Map<String, Service> servicesByName = new HashMap<>();
  /** The workloads a service selects, worked out when a flow names it (Hubble flows rarely do). */
  private final Map<String, List<Workload>> byService = new HashMap<>();
  private final Map<Object, Resolution> memo = new HashMap<>();
  /** One peer per workload, whatever evidence found it: edge keys then compare peers by reference. */
  private final Map<Workload, PeerRef> peers = new IdentityHashMap<>();

  /**
   * How an endpoint was resolved.
   *
   * @param peer the peer, or null when nothing at all identifies the endpoint
   * @param via what identified it ({@code pod-name}, {@code labels}, {@code ip}, {@code principal},
   *     {@code service}, {@code reserved}, {@code dns-name}, {@code address})
   * @param unresolved null when resolved; otherwise a short reason from a small fixed set (so
   *     counting by reason stays bounded)
   */
  public record Resolution(PeerRef peer, String via, String unresolved) {
    public boolean isResolved() {
      return unresolved == null;
    }
  }

  private IdentityResolver(ClusterModel model) {
    Map<String, Integer> ipUses = new HashMap<>();
    for (Workload w : model.workloads()) {
      byNamespace.computeIfAbsent(w.namespace(), k -> new ArrayList<>()).add(w);
      byServiceAccount.computeIfAbsent(w.namespace() + "/" + w.serviceAccount(), k -> new ArrayList<>()).add(w);
      for (String written : w.podIps()) {
        String ip = io.meshwarden.model.IpRange.canonicalAddress(written);
        if (ipUses.merge(ip, 1, Integer::sum) == 1) {
          byIp.put(ip, w);
        } else {
          byIp.remove(ip);
        }
      }
    }
    // Longest name first, so that "reviews-v2" wins over "reviews" for pod "reviews-v2-7bf8c9648f-r7bs2".
    byNamespace.values().forEach(l -> l.sort(Comparator.comparingInt((Workload w) -> -w.name().length())
        .thenComparing(Workload::name)));
    for (Service s : model.services()) {
      servicesByName.put(s.name() + "." + s.namespace(), s);
    }
  }

  /** The workloads of its namespace the service selects, longest name first; null for no such service. */
  private List<Workload> selectedBy(String serviceName) {
    Service s = servicesByName.get(serviceName);
    if (s == null) {
      return null;
    }
    return byService.computeIfAbsent(serviceName, k -> {
      List<Workload> selected = new ArrayList<>();
      for (Workload w : byNamespace.getOrDefault(s.namespace(), List.of())) {
        if (s.selects(w)) {
          selected.add(w);
        }
      }
      return selected;
    });
  }

  public static IdentityResolver of(ClusterModel model) {
    return new IdentityResolver(Objects.requireNonNull(model, "model"));
  }

  /** Resolves one endpoint; ports do not matter to the answer. */
  public Resolution resolve(Endpoint e) {
    // A pod's name in its namespace decides the answer (its labels and address come with it), and
    // is far cheaper to hash than the labels.
    Object key = e.namespace() != null && e.podName() != null ? new PodKey(e.namespace(), e.podName())
        : new MemoKey(e.ip(), e.namespace(), e.labels(), e.serviceAccount(), e.principal(), e.serviceHost(),
            e.reserved());
    Resolution r = memo.get(key);
    if (r == null) {
      r = compute(e);
      if (memo.size() >= MEMO_LIMIT) {
        memo.clear();
      }
      memo.put(key, r);
    }
    return r;
  }

  private record PodKey(String namespace, String podName) {}

  private record MemoKey(String ip, String namespace, Map<String, String> labels, String serviceAccount,
      String principal, String serviceHost, String reserved) {}

  private Resolution compute(Endpoint e) {
    String why = null;
    String ns = e.namespace();
    if (ns != null && e.podName() != null) {
      Workload w = byPodName(ns, e.podName(), e.labels());
      if (w != null) {
        return resolved(w, "pod-name");
      }
      why = "pod name matches no workload";
    }
    if (ns != null && !e.labels().isEmpty()) {
      List<Workload> matches = byLabels(ns, e.labels(), e.serviceAccount());
      if (matches.size() == 1) {
        return resolved(matches.get(0), "labels");
      }
      if (why == null) {
        why = matches.isEmpty() ? "labels match no workload" : "labels match several workloads";
      }
    }
    if (e.ip() != null) {
      Workload w = byIp.get(e.ip());
      if (w != null) {
        return resolved(w, "ip");
      }
    }
    if (ns != null && e.serviceAccount() != null && why == null) {
      Workload w = unique(byServiceAccount.get(ns + "/" + e.serviceAccount()));
      if (w != null) {
        return resolved(w, "service-account");
      }
    }
    if (e.principal() != null) {
      Workload w = byPrincipal(e.principal());
      if (w != null) {
        return resolved(w, "principal");
      }
      why = why != null ? why : "principal matches no single workload";
    }
    String[] service = serviceName(e.serviceHost(), ns);
    List<Workload> selected = service == null ? null : selectedBy(service[0] + "." + service[1]);
    if (selected != null) {
      if (selected.size() == 1) {
        return resolved(selected.get(0), "service");
      }
      why = why != null ? why : selected.isEmpty() ? "service selects no workload" : "service selects several workloads";
    }
    // Cilium marks some in-cluster pods "world" in L7 flows: a pod name outweighs a reserved label.
    if (e.reserved() != null && e.podName() == null) {
      PeerRef reserved = reserved(e.reserved(), e.ip());
      if (reserved != null) {
        return new Resolution(reserved, "reserved", why);
      }
    }
    if (why == null && ns != null) {
      why = "in-cluster endpoint with no pod name or labels";
    }
    if (e.serviceHost() != null && selected == null) {
      if (why == null && isClusterName(e.serviceHost())) {
        why = "cluster service not in the model";
      }
      return new Resolution(PeerRef.external(e.serviceHost()), "dns-name", why);
    }
    if (e.ip() != null) {
      if (why == null && io.meshwarden.model.IpRange.isPrivateUse(e.ip())) {
        why = "private address matches no pod IP";
      }
      return new Resolution(PeerRef.external(e.ip() + (e.ip().indexOf(':') >= 0 ? "/128" : "/32")), "address", why);
    }
    return new Resolution(null, null, why != null ? why : "no address or identity");
  }

  private Resolution resolved(Workload w, String via) {
    return new Resolution(peers.computeIfAbsent(w, k -> PeerRef.workload(k.id())), via, null);
  }

  /**
   * The workload whose pods carry this name: the longest workload name that prefixes it with a
   * suffix of the right shape for its kind, and whose labels the pod has (when both are known).
   */
  private Workload byPodName(String ns, String pod, Map<String, String> labels) {
    for (Workload w : byNamespace.getOrDefault(ns, List.of())) {
      if (!podNameFits(w, pod)) {
        continue;
      }
      if (labels.isEmpty() || w.podLabels().isEmpty() || subset(w.podLabels(), labels)) {
        return w;
      }
    }
    return null;
  }

  static boolean podNameFits(Workload w, String pod) {
    String name = w.name();
    if (w.kind() == WorkloadKind.Pod) {
      return pod.equals(name);
    }
    if (w.kind() == WorkloadKind.VirtualMachine) {
      return pod.startsWith("virt-launcher-" + name + "-") && segments(pod.substring(15 + name.length())) == 1;
    }
    if (pod.length() <= name.length() + 1 || !pod.startsWith(name) || pod.charAt(name.length()) != '-') {
      return false;
    }
    String suffix = pod.substring(name.length() + 1);
    int segments = segments(suffix);
    return switch (w.kind()) {
      case Deployment -> segments == 2;
      case StatefulSet -> suffix.chars().allMatch(Character::isDigit);
      case CronJob -> segments == 2 && suffix.substring(0, suffix.indexOf('-')).chars().allMatch(Character::isDigit);
      default -> segments == 1;
    };
  }

  /** How many dash-separated lower-case alphanumeric segments {@code s} is made of, or -1. */
  private static int segments(String s) {
    if (s.isEmpty() || s.startsWith("-") || s.endsWith("-")) {
      return -1;
    }
    int n = 1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '-') {
        if (s.charAt(i - 1) == '-') {
          return -1;
        }
        n++;
      } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
        return -1;
      }
    }
    return n;
  }

  /** Workloads whose pod labels the endpoint has; the most specific wins, then the service account decides. */
  private List<Workload> byLabels(String ns, Map<String, String> labels, String serviceAccount) {
    List<Workload> matches = new ArrayList<>();
    int best = 0;
    for (Workload w : byNamespace.getOrDefault(ns, List.of())) {
      if (w.podLabels().isEmpty() || !subset(w.podLabels(), labels)) {
        continue;
      }
      int size = w.podLabels().size();
      if (size > best) {
        matches.clear();
        best = size;
      }
      if (size == best) {
        matches.add(w);
      }
    }
    if (matches.size() > 1 && serviceAccount != null) {
      List<Workload> bySa = matches.stream().filter(w -> w.serviceAccount().equals(serviceAccount)).toList();
      if (!bySa.isEmpty()) {
        return bySa;
      }
    }
    return matches;
  }

  private static boolean subset(Map<String, String> required, Map<String, String> present) {
    for (Map.Entry<String, String> e : required.entrySet()) {
      if (!e.getValue().equals(present.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** {@code spiffe://<trust domain>/ns/<namespace>/sa/<service account>}, any trust domain. */
  private Workload byPrincipal(String principal) {
    int ns = principal.indexOf("/ns/");
    int sa = principal.indexOf("/sa/", ns + 4);
    if (!principal.startsWith("spiffe://") || ns < 0 || sa < 0) {
      return null;
    }
    return unique(byServiceAccount.get(principal.substring(ns + 4, sa) + "/" + principal.substring(sa + 4)));
  }

  private static Workload unique(List<Workload> ws) {
    return ws != null && ws.size() == 1 ? ws.get(0) : null;
  }

  /**
   * {@code name.namespace[.svc[.cluster.local]]} → {name, namespace}; a bare {@code name} takes the
   * endpoint's namespace. Null when the host cannot be a cluster service.
   */
  static String[] serviceName(String host, String namespace) {
    if (host == null) {
      return null;
    }
    String h = stripClusterSuffix(host);
    int dot = h.indexOf('.');
    if (dot < 0) {
      return namespace == null ? null : new String[] {h, namespace};
    }
    if (h.indexOf('.', dot + 1) >= 0) {
      return null;
    }
    return new String[] {h.substring(0, dot), h.substring(dot + 1)};
  }

  private static boolean isClusterName(String host) {
    return host.indexOf('.') < 0 || host.endsWith(".svc") || host.contains(".svc.");
  }

  /** Drops {@code .svc.cluster.local} (or {@code .svc}) so names compare across spellings. */
  private static String stripClusterSuffix(String host) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    int svc = h.indexOf(".svc.");
    if (svc > 0) {
      return h.substring(0, svc);
    }
    return h.endsWith(".svc") ? h.substring(0, h.length() - 4) : h;
  }

  private static PeerRef reserved(String reserved, String ip) {
    return switch (reserved) {
      case "world" -> ip != null && io.meshwarden.model.IpRange.isIpv6(ip) ? PeerRef.INTERNET_IPV6 : PeerRef.INTERNET;
      case "host", "remote-node", "health" -> PeerRef.external("node");
      case "kube-apiserver" -> PeerRef.external("kube-apiserver");
      case "ingress" -> PeerRef.external("ingress");
      default -> null;
    };
  }
}
