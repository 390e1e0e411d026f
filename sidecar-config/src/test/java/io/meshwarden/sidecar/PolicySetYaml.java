package io.meshwarden.sidecar;

import io.meshwarden.model.Protocol;
import io.meshwarden.synthesis.HttpMatch;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PolicySet;
import io.meshwarden.synthesis.PortRule;
import io.meshwarden.synthesis.Provenance;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads the golden inputs: a PolicySet in a compact YAML form, plus which output to produce.
 *
 * <pre>
 * output: envoy            # envoy, envoy-dry-run, grpc, grpc-dry-run, networkpolicy, authorizationpolicy[-dry-run]
 * kubeletCidrs: [10.128.0.0/16]
 * policies:
 * - workload: shop/Deployment/api   # namespace/Kind/name
 *   serviceAccount: api
 *   labels: {app: api}
 *   ingress:
 *   - port: 9090                    # protocol: TCP by default
 *     peers: [{workload: shop/Deployment/web, labels: {app: web}, principal: cluster.local/ns/shop/sa/web},
 *             {cidr: 203.0.113.0/24}, kubelet, kube-dns]
 *     http: ["GET /v1/items*", "* /v1/health"]   # trailing * = prefix, method * = any
 *   egress: [...]
 * </pre>
 */
record PolicySetYaml(String output, List<String> kubeletCidrs, PolicySet policySet) {

  @SuppressWarnings("unchecked")
  static PolicySetYaml parse(String yaml) {
    Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
    List<WorkloadPolicy> policies = new ArrayList<>();
    for (Map<String, Object> p : (List<Map<String, Object>>) doc.get("policies")) {
      String id = (String) p.get("workload");
      String[] parts = id.split("/");
      policies.add(new WorkloadPolicy(parts[0], id, parts[2], (Map<String, String>) p.getOrDefault("labels", Map.of()),
          (String) p.getOrDefault("serviceAccount", "default"), rules(p.get("ingress")), rules(p.get("egress"))));
    }
    return new PolicySetYaml((String) doc.get("output"), (List<String>) doc.getOrDefault("kubeletCidrs", List.of()),
        new PolicySet("cluster.local", policies));
  }

  @SuppressWarnings("unchecked")
  private static List<PortRule> rules(Object o) {
    List<PortRule> out = new ArrayList<>();
    if (o == null) {
      return out;
    }
    for (Map<String, Object> r : (List<Map<String, Object>>) o) {
      List<Peer> peers = new ArrayList<>();
      for (Object peer : (List<Object>) r.get("peers")) {
        peers.add(peer(peer));
      }
      List<HttpMatch> http = new ArrayList<>();
      for (String h : (List<String>) r.getOrDefault("http", List.of())) {
        String[] mp = h.split(" ", 2);
        boolean prefix = mp[1].endsWith("*");
        http.add(new HttpMatch("*".equals(mp[0]) ? null : mp[0], prefix ? mp[1].substring(0, mp[1].length() - 1) : mp[1],
            prefix));
      }
      out.add(new PortRule(Protocol.parse((String) r.get("protocol")), (Integer) r.get("port"), null, peers, http,
          Provenance.system("golden")));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Peer peer(Object o) {
    if ("kubelet".equals(o)) {
      return Peer.KUBELET;
    }
    if ("kube-dns".equals(o)) {
      return Peer.KUBE_DNS;
    }
    Map<String, Object> m = (Map<String, Object>) o;
    if (m.containsKey("cidr")) {
      return Peer.cidr((String) m.get("cidr"));
    }
    String id = (String) m.get("workload");
    return Peer.workload(id, id.split("/")[0], (Map<String, String>) m.getOrDefault("labels", Map.of()),
        (String) m.get("principal"));
  }
}
