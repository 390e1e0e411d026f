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
  /** The pod labels in the order read, as {@link HubbleLabels} keeps them: the key to a shared set. */
  Label[] podLabels = new Label[8];
  int podLabelCount;

  void reset() {
    ip = namespace = podName = serviceAccount = serviceHost = reserved = null;
    port = 0;
    identity = 0;
    labels.clear();
    podLabelCount = 0;
  }

  void label(String l) {
    label(Label.of(l));
  }

  void label(Label l) {
    switch (l.kind) {
      case RESERVED -> {
        if (reserved == null) {
          reserved = l.value;
        }
      }
      case SERVICE_ACCOUNT -> serviceAccount = l.value;
      case POD_NAMESPACE -> {
        if (namespace == null) {
          namespace = l.value;
        }
      }
      case POD -> {
        labels.put(l.key, l.value);
        if (podLabelCount == podLabels.length) {
          podLabels = java.util.Arrays.copyOf(podLabels, podLabelCount * 2);
        }
        podLabels[podLabelCount++] = l;
      }
      case IGNORED -> { }
    }
  }

  /**
   * What one Cilium label says about its endpoint, worked out once per distinct label text
   * ({@link HubbleJsonParser} keeps them: the same few labels come with every flow).
   */
  static final class Label {
    enum Kind { RESERVED, SERVICE_ACCOUNT, POD_NAMESPACE, POD, IGNORED }

    final Kind kind;
    final String key;
    final String value;

    private Label(Kind kind, String key, String value) {
      this.kind = kind;
      this.key = key;
      this.value = value;
    }

    static Label of(String l) {
      if (l.startsWith("reserved:")) {
        return new Label(Kind.RESERVED, null, l.substring(9));
      }
      if (!l.startsWith("k8s:")) {
        return new Label(Kind.IGNORED, null, null);
      }
      int eq = l.indexOf('=', 4);
      String key = eq < 0 ? l.substring(4) : l.substring(4, eq);
      String value = eq < 0 ? "" : l.substring(eq + 1);
      if (key.equals(SA)) {
        return new Label(Kind.SERVICE_ACCOUNT, null, value);
      }
      if (key.equals(POD_NAMESPACE)) {
        return new Label(Kind.POD_NAMESPACE, null, value);
      }
      return key.startsWith("io.cilium.") ? new Label(Kind.IGNORED, null, null) : new Label(Kind.POD, key, value);
    }
  }

  Endpoint toEndpoint() {
    return toEndpoint(labels);
  }

  /**
   * @param canonical the pod labels as an immutable map equal to {@link #labels} (one shared
   *     instance per distinct set saves the endpoint its copy)
   */
  Endpoint toEndpoint(Map<String, String> canonical) {
    return new Endpoint(ip, port, namespace, podName, canonical, serviceAccount, null, serviceHost,
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
