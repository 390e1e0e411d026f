package io.meshwarden.exposure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Protocol;
import io.meshwarden.traffic.EdgeKey;
import io.meshwarden.traffic.EdgeStats;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import io.meshwarden.traffic.TrafficModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Entry points that Istio and Gateway API objects declare, and those traffic from public addresses shows. */
class MeshEntryPointsTest {
  private static final String BOOKINFO = "../manifests/examples/istio-bookinfo/upstream/samples/bookinfo/";

  /** Istio's ingress gateway as its Helm chart deploys it, in istio-system. */
  private static final String INGRESS_GATEWAY = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: istio-ingressgateway, namespace: istio-system}
      spec:
        template:
          metadata: {labels: {app: istio-ingressgateway, istio: ingressgateway}}
          spec:
            containers:
            - {name: istio-proxy, image: proxyv2, ports: [{containerPort: 8080}]}
      """;

  private static List<String> scan(String namespace, List<String> files, String extraYaml) throws Exception {
    List<String> all = new ArrayList<>(files);
    if (extraYaml != null) {
      Path extra = Files.createTempDirectory("mesh-entry").resolve("extra.yaml");
      Files.writeString(extra, extraYaml);
      all.add(extra.toString());
    }
    ClusterModel m = new ManifestLoader(false).defaultNamespace(namespace).load(all).model();
    return EntryPointScanner.scan(m).stream().map(MeshEntryPointsTest::text).toList();
  }

  private static String text(EntryPoint e) {
    return e.workload().namespace() + "/" + e.workload().name() + " " + e.kind() + " " + e.via() + ": " + e.detail()
        + " @" + e.origin().file().substring(e.origin().file().lastIndexOf('/') + 1) + ":" + e.origin().line();
  }

  @Test
  void istioGatewayAndBoundVirtualService_exposeTheGatewayProxyAndTheRouteDestination() throws Exception {
    List<String> found = scan("bookinfo", List.of(BOOKINFO + "platform/kube/bookinfo.yaml",
        BOOKINFO + "networking/bookinfo-gateway.yaml"), INGRESS_GATEWAY);
    assertEquals(List.of(
        "bookinfo/productpage-v1 IstioGateway Gateway bookinfo/bookinfo-gateway, VirtualService bookinfo/bookinfo:"
            + " http * -> productpage:9080 @bookinfo-gateway.yaml:18",
        "istio-system/istio-ingressgateway IstioGateway Gateway bookinfo/bookinfo-gateway: gateway proxy for"
            + " 8080/HTTP hosts * @bookinfo-gateway.yaml:1"), found);
  }

  @Test
  void aVirtualServiceForTheMeshOnly_isNoEntryPoint() throws Exception {
    String meshOnly = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews, subset: v1}
        """;
    assertEquals(List.of(), scan("bookinfo", List.of(BOOKINFO + "platform/kube/bookinfo.yaml"), meshOnly));
  }

  @Test
  void aVirtualServiceWhoseHostsTheGatewayDoesNotServe_isNoEntryPoint() throws Exception {
    String yaml = INGRESS_GATEWAY + """
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: ["shop.example.com"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: other}
        spec:
          hosts: ["admin.example.com"]
          gateways: [gw]
          http:
          - route:
            - destination: {host: details.bookinfo.svc.cluster.local}
        """;
    List<String> found = scan("bookinfo", List.of(BOOKINFO + "platform/kube/bookinfo.yaml"), yaml);
    assertEquals(List.of("istio-system/istio-ingressgateway IstioGateway Gateway bookinfo/gw: gateway proxy for"
        + " 443/HTTPS hosts shop.example.com @extra.yaml:11"), found);
  }

  @Test
  void gatewayApiGatewayAndHttpRoute_exposeTheBackendService() throws Exception {
    List<String> found = scan("bookinfo", List.of(BOOKINFO + "platform/kube/bookinfo.yaml",
        BOOKINFO + "gateway-api/bookinfo-gateway.yaml"), null);
    assertEquals(List.of("bookinfo/productpage-v1 GatewayApi Gateway bookinfo/bookinfo-gateway, HTTPRoute"
        + " bookinfo/bookinfo: listener http 80/HTTP -> service productpage:9080 @bookinfo-gateway.yaml:15"), found);
  }

  @Test
  void gatewayApiRoutes_honourAllowedRoutesReferenceGrantsAndServiceParents() throws Exception {
    String yaml = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: edge, namespace: infra}
        spec:
          gatewayClassName: istio
          listeners:
          - {name: grpc, port: 443, protocol: HTTPS, allowedRoutes: {namespaces: {from: All}, kinds: [{kind: GRPCRoute}]}}
          - {name: tcp, port: 5432, protocol: TCP}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: grpc, namespace: bookinfo}
        spec:
          parentRefs: [{name: edge, namespace: infra, sectionName: grpc}]
          rules:
          - backendRefs: [{name: reviews, port: 9080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1alpha2
        kind: TCPRoute
        metadata: {name: db, namespace: bookinfo}
        spec:
          parentRefs: [{name: edge, namespace: infra, sectionName: tcp}]
          rules:
          - backendRefs: [{name: ratings, port: 9080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1alpha2
        kind: TLSRoute
        metadata: {name: cross, namespace: infra}
        spec:
          parentRefs: [{name: edge, sectionName: grpc}]
          rules:
          - backendRefs: [{name: details, namespace: bookinfo, port: 9080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: granted, namespace: infra}
        spec:
          parentRefs: [{name: edge, sectionName: tcp}]
          rules:
          - backendRefs: [{name: details, namespace: bookinfo, port: 9080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: mesh, namespace: bookinfo}
        spec:
          parentRefs: [{group: "", kind: Service, name: reviews}]
          rules:
          - backendRefs: [{name: ratings, port: 9080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: from-infra, namespace: bookinfo}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra}]
          to: [{group: "", kind: Service}]
        """;
    List<String> found = scan("bookinfo", List.of(BOOKINFO + "platform/kube/bookinfo.yaml"), yaml);
    // TCPRoute: the tcp listener admits routes of its own namespace only (from: Same, the default).
    // TLSRoute: the grpc listener admits GRPCRoutes only. The mesh route has a Service parent.
    // HTTPRoute granted: cross-namespace, allowed by the ReferenceGrant; the tcp listener takes infra's routes.
    assertEquals(List.of(
        "bookinfo/details-v1 GatewayApi Gateway infra/edge, HTTPRoute infra/granted: listener tcp 5432/TCP"
            + " -> service details:9080 @extra.yaml:34",
        "bookinfo/reviews-v1 GatewayApi Gateway infra/edge, GRPCRoute bookinfo/grpc: listener grpc 443/HTTPS"
            + " -> service reviews:9080 @extra.yaml:10",
        "bookinfo/reviews-v2 GatewayApi Gateway infra/edge, GRPCRoute bookinfo/grpc: listener grpc 443/HTTPS"
            + " -> service reviews:9080 @extra.yaml:10",
        "bookinfo/reviews-v3 GatewayApi Gateway infra/edge, GRPCRoute bookinfo/grpc: listener grpc 443/HTTPS"
            + " -> service reviews:9080 @extra.yaml:10"), found);
  }

  @Test
  void aWorkloadThatReceivedTrafficFromPublicAddresses_isAnEntryPoint_privateAndNodeSourcesAreNot() throws Exception {
    ClusterModel m = new ManifestLoader(false).defaultNamespace("bookinfo")
        .load(List.of(BOOKINFO + "platform/kube/bookinfo.yaml")).model();
    Instant t = Instant.parse("2026-11-20T09:00:00Z");
    List<ObservedEdge> edges = List.of(
        edge(PeerRef.external("198.51.100.7"), "bookinfo/Deployment/details-v1", t, 3),
        edge(PeerRef.INTERNET, "bookinfo/Deployment/details-v1", t, 4),
        edge(PeerRef.external("10.1.2.3"), "bookinfo/Deployment/ratings-v1", t, 5),
        edge(PeerRef.external("node"), "bookinfo/Deployment/ratings-v1", t, 6));
    List<EntryPoint> found = EntryPointScanner.scan(m, new TrafficModel(edges, 4, List.of(), 0, Map.of()));
    assertEquals(List.of("bookinfo/details-v1 ObservedPublic traffic from public addresses: 2 flows from 2 public"
        + " sources (e.g. external:198.51.100.7) to TCP 9080, 2026-11-20T09:00:00Z .. 2026-11-20T09:00:00Z @flows.json:3"),
        found.stream().map(MeshEntryPointsTest::text).toList());
  }

  private static ObservedEdge edge(PeerRef src, String dst, Instant t, int line) {
    return new ObservedEdge(new EdgeKey(src, PeerRef.workload(dst), Protocol.TCP, 9080, null, null),
        new EdgeStats(1, 100, t, t, 0, new Origin("flows.json", line)));
  }
}
