package io.meshwarden.exposure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryPointScannerTest {
  private static final String YAML = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - {name: c, image: x, ports: [{name: http, containerPort: 8080}]}
      ---
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: agent, namespace: ops}
      spec:
        template:
          metadata: {labels: {app: agent}}
          spec:
            hostNetwork: true
            containers:
            - {name: a, image: x, ports: [{containerPort: 9100, hostPort: 9100}]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web-lb, namespace: shop}
      spec:
        type: LoadBalancer
        selector: {app: web}
        ports: [{port: 80, targetPort: http}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec:
        selector: {app: web}
        ports: [{name: web, port: 8080}]
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: public, namespace: shop}
      spec:
        rules:
        - host: shop.example.com
          http:
            paths:
            - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 8080}}}}
      """;

  @Test
  void findsServicesIngressesHostPortsAndHostNetwork() throws Exception {
    ClusterModel m = new ManifestLoader(false).load("in.yaml", new StringReader(YAML)).model();
    List<String> found = EntryPointScanner.scan(m).stream()
        .map(e -> e.workload().name() + " " + e.kind() + " " + e.via() + ": " + e.detail() + " @" + e.origin().line())
        .toList();
    assertEquals(List.of(
        "agent HostPort container a: hostPort 9100 -> 9100/TCP @11",
        "agent HostNetwork hostNetwork: true: pods share the node's network namespace; NetworkPolicy does not apply @11",
        "web LoadBalancer Service shop/web-lb: port 80 -> http/TCP @22",
        "web Ingress Ingress shop/public: shop.example.com/ -> service web:8080 @37"), found);
  }
}
