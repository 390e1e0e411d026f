package io.meshwarden.connectivity;

import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Workload;
import java.io.StringReader;

/** Builds models from inline YAML and asks connectivity questions by workload name. */
final class Fixtures {
  private Fixtures() {}

  static ClusterModel load(String yaml) {
    try {
      return new ManifestLoader(false).load("test.yaml", new StringReader(yaml)).model();
    } catch (ManifestException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  /** A Deployment with the given labels ({@code k=v,k=v}) and container ports ({@code name:port/PROTO,...}). */
  static String deployment(String ns, String name, String labels, String ports) {
    StringBuilder sb = new StringBuilder("---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ")
        .append(name).append("\n  namespace: ").append(ns).append("\nspec:\n  template:\n    metadata:\n      labels:\n");
    for (String kv : labels.split(",")) {
      String[] p = kv.split("=");
      sb.append("        ").append(p[0]).append(": \"").append(p[1]).append("\"\n");
    }
    sb.append("    spec:\n      containers:\n      - name: main\n        image: x\n");
    if (!ports.isEmpty()) {
      sb.append("        ports:\n");
      for (String port : ports.split(",")) {
        String[] np = port.split("[:/]");
        sb.append("        - name: ").append(np[0]).append("\n          containerPort: ").append(np[1])
            .append("\n          protocol: ").append(np.length > 2 ? np[2] : "TCP").append('\n');
      }
    }
    return sb.toString();
  }

  static String namespace(String name, String labels) {
    StringBuilder sb = new StringBuilder("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ").append(name)
        .append('\n');
    if (!labels.isEmpty()) {
      sb.append("  labels:\n");
      for (String kv : labels.split(",")) {
        String[] p = kv.split("=");
        sb.append("    ").append(p[0]).append(": ").append(p[1]).append('\n');
      }
    }
    return sb.toString();
  }

  static Workload workload(ClusterModel m, String nsName) {
    return m.workloads().stream().filter(w -> (w.namespace() + "/" + w.name()).equals(nsName)).findFirst()
        .orElseThrow(() -> new AssertionError("no workload " + nsName));
  }

  /** What is allowed from workload {@code src} to workload {@code dst}, as np-guard prints it. */
  static String allowed(ClusterModel m, String src, String dst) {
    Connectivity c = ConnectivityAnalyzer.analyze(m);
    return c.allowed(new Peer.WorkloadPeer(workload(m, src)), new Peer.WorkloadPeer(workload(m, dst))).toString();
  }

  static String fromIp(ClusterModel m, String cidr, String dst) {
    Connectivity c = ConnectivityAnalyzer.analyze(m);
    return c.allowed(new Peer.ExternalPeer(IpRange.parseCidr(cidr)), new Peer.WorkloadPeer(workload(m, dst))).toString();
  }

  static String toIp(ClusterModel m, String src, String cidr) {
    Connectivity c = ConnectivityAnalyzer.analyze(m);
    return c.allowed(new Peer.WorkloadPeer(workload(m, src)), new Peer.ExternalPeer(IpRange.parseCidr(cidr))).toString();
  }
}
