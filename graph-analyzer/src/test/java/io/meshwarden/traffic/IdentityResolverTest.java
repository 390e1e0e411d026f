package io.meshwarden.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Origin;
import io.meshwarden.model.PortRef;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Service;
import io.meshwarden.model.ServicePort;
import io.meshwarden.model.Workload;
import io.meshwarden.model.WorkloadKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityResolverTest {
  static Workload workload(String ns, WorkloadKind kind, String name, Map<String, String> labels, String sa,
      List<String> ips) {
    return new Workload(ns, kind, name, labels, List.of(), sa, false, 1, ips, Origin.UNKNOWN);
  }

  static Endpoint pod(String ns, String pod, Map<String, String> labels) {
    return new Endpoint("10.9.9.9", 0, ns, pod, labels, null, null, null, null);
  }

  static Service service(String ns, String name, Map<String, String> selector) {
    return new Service(ns, name, "ClusterIP", selector, List.of(new ServicePort("http", 80, PortRef.of(8080),
        Protocol.TCP, 0)), null, Origin.UNKNOWN);
  }

  private final IdentityResolver resolver;

  IdentityResolverTest() {
    ClusterModel.Builder b = ClusterModel.builder();
    b.workload(workload("shop", WorkloadKind.Deployment, "web", Map.of("app", "web"), "web", List.of("10.0.0.5")));
    b.workload(workload("shop", WorkloadKind.Deployment, "web-canary", Map.of("app", "web", "track", "canary"), "web",
        List.of()));
    b.workload(workload("shop", WorkloadKind.StatefulSet, "db", Map.of("app", "db"), "db", List.of()));
    b.workload(workload("shop", WorkloadKind.DaemonSet, "agent", Map.of("app", "agent"), "agent", List.of()));
    b.workload(workload("shop", WorkloadKind.CronJob, "report", Map.of("job", "report"), "report", List.of()));
    b.workload(workload("shop", WorkloadKind.Pod, "debug", Map.of(), "default", List.of()));
    b.workload(workload("shop", WorkloadKind.Deployment, "api-v1", Map.of("app", "api", "version", "v1"), "api",
        List.of()));
    b.workload(workload("shop", WorkloadKind.Deployment, "api-v2", Map.of("app", "api", "version", "v2"), "api",
        List.of()));
    b.service(service("shop", "db", Map.of("app", "db")));
    b.service(service("shop", "api", Map.of("app", "api")));
    resolver = IdentityResolver.of(b.build());
  }

  private PeerRef peer(Endpoint e) {
    return resolver.resolve(e).peer();
  }

  @Test
  void podNames_matchTheirControllerByKindShape_longestNameFirst() {
    assertEquals("shop/Deployment/web", peer(pod("shop", "web-7c5ddbdf54-x2k9p", Map.of())).id());
    assertEquals("shop/Deployment/web-canary", peer(pod("shop", "web-canary-6b746f74dc-ffh5x", Map.of())).id());
    assertEquals("shop/StatefulSet/db", peer(pod("shop", "db-0", Map.of())).id());
    assertEquals("shop/DaemonSet/agent", peer(pod("shop", "agent-q8x7z", Map.of())).id());
    assertEquals("shop/CronJob/report", peer(pod("shop", "report-28469220-abcde", Map.of())).id());
    assertEquals("shop/Pod/debug", peer(pod("shop", "debug", Map.of())).id());
    assertEquals("pod-name", resolver.resolve(pod("shop", "db-1", Map.of())).via());
  }

  @Test
  void podName_isConfirmedByLabels_whenBothAreKnown() {
    // "web-canary-..." has the shape of a web Deployment pod too; the canary labels decide.
    IdentityResolver.Resolution r = resolver.resolve(pod("shop", "web-canary-abc", Map.of("app", "web")));
    assertTrue(r.peer() == null || !r.peer().id().equals("shop/Deployment/web-canary"));
  }

  @Test
  void podNameOfTheWrongShapeOrNamespace_isUnresolvedWithAReason() {
    IdentityResolver.Resolution r = resolver.resolve(pod("shop", "db-x", Map.of()));
    assertEquals("pod name matches no workload", r.unresolved());
    assertEquals("external:10.9.9.9/32", r.peer().id(), "still an edge, to the address");
    assertEquals("pod name matches no workload", resolver.resolve(pod("other", "web-7c5ddbdf54-x2k9p", Map.of()))
        .unresolved());
  }

  @Test
  void labels_matchTheMostSpecificWorkload_orReportAmbiguity() {
    assertEquals("shop/Deployment/api-v2", peer(pod("shop", null, Map.of("app", "api", "version", "v2",
        "pod-template-hash", "x"))).id());
    assertEquals("shop/Deployment/web-canary", peer(pod("shop", null, Map.of("app", "web", "track", "canary"))).id());
    IdentityResolver.Resolution r = resolver.resolve(pod("shop", null, Map.of("app", "api")));
    assertEquals("labels match no workload", r.unresolved());
    Endpoint apiBySa = new Endpoint(null, 0, "shop", null, Map.of("app", "web"), "web", null, null, null);
    assertEquals("shop/Deployment/web", resolver.resolve(apiBySa).peer().id());
  }

  @Test
  void podIps_resolveAddressOnlyEndpoints() {
    assertEquals("shop/Deployment/web", peer(Endpoint.ofAddress("10.0.0.5", 8080)).id());
    assertEquals("ip", resolver.resolve(Endpoint.ofAddress("10.0.0.5", 1)).via());
  }

  @Test
  void spiffePrincipal_resolvesWhenTheServiceAccountHasOneWorkload() {
    Endpoint db = new Endpoint("10.1.1.1", 0, null, null, Map.of(), null, "spiffe://cluster.local/ns/shop/sa/db", null,
        null);
    assertEquals("shop/StatefulSet/db", peer(db).id());
    Endpoint api = new Endpoint("10.1.1.1", 0, null, null, Map.of(), null, "spiffe://td/ns/shop/sa/api", null, null);
    assertEquals("principal matches no single workload", resolver.resolve(api).unresolved());
  }

  @Test
  void serviceHost_resolvesWhenTheServiceSelectsOneWorkload() {
    Endpoint db = new Endpoint("10.96.0.10", 0, null, null, Map.of(), null, null, "db.shop.svc.cluster.local", null);
    assertEquals("shop/StatefulSet/db", peer(db).id());
    Endpoint api = new Endpoint("10.96.0.11", 0, null, null, Map.of(), null, null, "api.shop.svc.cluster.local", null);
    IdentityResolver.Resolution r = resolver.resolve(api);
    assertEquals("service selects several workloads", r.unresolved());
    assertEquals("external:10.96.0.11/32", r.peer().id());
  }

  @Test
  void externalPeers_areDnsNamesAddressesInternetOrNode() {
    Endpoint egress = new Endpoint("93.184.216.34", 443, null, null, Map.of(), null, null, "api.example.com", null);
    assertEquals(PeerRef.external("api.example.com"), peer(egress));
    assertTrue(resolver.resolve(egress).isResolved());
    assertEquals("external:93.184.216.34/32", peer(Endpoint.ofAddress("93.184.216.34", 443)).id());
    assertEquals("external:2001:db8::1/128", peer(Endpoint.ofAddress("2001:db8::1", 443)).id());
    Endpoint world = new Endpoint("1.2.3.4", 0, null, null, Map.of(), null, null, null, "world");
    assertEquals(PeerRef.INTERNET, peer(world));
    Endpoint world6 = new Endpoint("2001:db8::7", 0, null, null, Map.of(), null, null, null, "world");
    assertEquals(PeerRef.INTERNET_IPV6, peer(world6), "the internet reached over IPv6 keeps its family");
    assertEquals(java.util.Optional.of("api.example.com"), PeerRef.external("api.example.com").dnsName());
    assertEquals(java.util.Optional.empty(), PeerRef.external("node").dnsName());
    assertEquals(java.util.Optional.empty(), PeerRef.external("2001:db8::1/128").dnsName());
    Endpoint host = new Endpoint("10.0.0.1", 0, null, null, Map.of(), null, null, null, "host");
    assertEquals("external:node", peer(host).id());
  }

  @Test
  void privateAddressesAndUnknownClusterServices_areExternalButReportedUnresolved() {
    assertEquals("private address matches no pod IP", resolver.resolve(Endpoint.ofAddress("10.4.4.4", 80)).unresolved());
    Endpoint unknown = new Endpoint("10.96.0.12", 0, null, null, Map.of(), null, null, "cart.other.svc.cluster.local",
        null);
    assertEquals("cluster service not in the model", resolver.resolve(unknown).unresolved());
  }

  @Test
  void nothingToGoOn_meansNoPeer() {
    IdentityResolver.Resolution r = resolver.resolve(new Endpoint(null, 0, null, null, Map.of(), null, null, null, null));
    assertNull(r.peer());
    assertEquals("no address or identity", r.unresolved());
  }

  @Test
  void reservedWorld_onANamedPod_isIgnored() {
    Endpoint e = new Endpoint("10.9.9.9", 9080, "shop", "db-0", Map.of(), null, null, null, "world");
    assertEquals("shop/StatefulSet/db", peer(e).id());
  }
}
