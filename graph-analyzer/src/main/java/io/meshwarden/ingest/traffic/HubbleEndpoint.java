package io.meshwarden.ingest.traffic;

import io.meshwarden.traffic.Endpoint;
import java.util.HashMap;
import java.util.Map;

/**
 * One side of a Hubble flow while it is being read. Cilium prefixes labels with their source
 * ({@code k8s:app=x}) and adds its own ({@code k8s:io.cilium.k8s.policy.serviceaccount=sa},
 * {@code k8s:io.kubernetes.pod.namespace=ns}, namespace labels): those become fields, and only the
 * pod's own labels stay labels, so that they compare with the manifests.
 */
final class HubbleEndpoint {
  private static final String SA = "io.cilium.k8s.policy.serviceaccount";
  private static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";

  String ip;
  int port;
  String namespace;
  String podName;
  String serviceAccount;
  String serviceHost;
  String reserved;
  int identity;
  final Map<String, String> labels = new HashMap<>();

  void reset() {
    ip = namespace = podName = serviceAccount = serviceHost = reserved = null;
    port = 0;
    identity = 0;
    labels.clear();
  }

  void label(String l) {
    if (l.startsWith("reserved:")) {
      if (reserved == null) {
        reserved = l.substring(9);
      }
      return;
    }
    if (!l.startsWith("k8s:")) {
      return;
    }
    int eq = l.indexOf('=', 4);
    String key = eq < 0 ? l.substring(4) : l.substring(4, eq);
    String value = eq < 0 ? "" : l.substring(eq + 1);
    if (key.equals(SA)) {
      serviceAccount = value;
    } else if (key.equals(POD_NAMESPACE)) {
      if (namespace == null) {
        namespace = value;
      }
    } else if (!key.startsWith("io.cilium.")) {
      labels.put(key, value);
    }
  }

  Endpoint toEndpoint() {
    return new Endpoint(ip, port, namespace, podName, labels, serviceAccount, null, serviceHost,
        reserved != null ? reserved : reservedIdentity(identity));
  }

  /** Cilium's fixed numeric identities, for flows whose labels were not filled in. */
  private static String reservedIdentity(int id) {
    return switch (id) {
      case 1 -> "host";
      case 2 -> "world";
      case 4 -> "health";
      case 6 -> "remote-node";
      case 7 -> "kube-apiserver";
      case 8 -> "ingress";
      default -> null;
    };
  }
}
