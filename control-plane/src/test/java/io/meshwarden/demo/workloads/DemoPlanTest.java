package io.meshwarden.demo.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.index.ManifestSource;
import io.meshwarden.index.WorkloadStatus;
import io.meshwarden.model.Workload;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DemoPlanTest {
  static final String M = "../manifests/examples/online-boutique/upstream/release/kubernetes-manifests.yaml";

  static ClusterSnapshot boutique(LiveIndex index) throws Exception {
    ManifestSource.load(index, List.of(M), "default", java.io.InputStream.nullInputStream());
    return index.flush().get(10, TimeUnit.SECONDS);
  }

  @Test
  void everyServiceGetsItsDeploymentsPortAndAccountAndTheNextLoopbackAddress() throws Exception {
    try (LiveIndex index = new LiveIndex(LiveIndex.Options.defaults())) {
      DemoPlan plan = DemoPlan.onlineBoutique(boutique(index).model(), "default", Set.of(), DemoPlan.FIRST_ADDRESS);
      Map<String, DemoPod> pods = plan.pods().stream().collect(Collectors.toMap(DemoPod::workload, p -> p));
      assertEquals(11, pods.size(), pods.keySet().toString());
      assertEquals(0, pods.get("loadgenerator").port(), "the load generator only calls out");
      assertEquals(8080, pods.get("frontend").port());
      assertEquals(8080, pods.get("emailservice").port(), "the same port as the frontend, on another address");
      assertEquals(7070, pods.get("cartservice").port());
      assertEquals(50051, pods.get("paymentservice").port());
      assertEquals("cartservice", pods.get("cartservice").serviceAccount());
      assertEquals("127.0.0.10", plan.pods().get(0).address());
      assertEquals(plan.pods().size(), plan.pods().stream().map(DemoPod::address).distinct().count());
      assertEquals("cartservice-simulated-1", pods.get("cartservice").name());
    }
  }

  @Test
  void aSubsetDropsTheCallsToServicesThatDoNotRun() throws Exception {
    try (LiveIndex index = new LiveIndex(LiveIndex.Options.defaults())) {
      DemoPlan plan = DemoPlan.onlineBoutique(boutique(index).model(), "default", Set.of("checkoutservice",
          "paymentservice"), "127.0.0.50");
      assertEquals(Set.of("loadgenerator", "frontend", "checkoutservice", "paymentservice"),
          plan.pods().stream().map(DemoPod::workload).collect(Collectors.toSet()));
      OnlineBoutique.Service checkout = plan.services().stream().filter(s -> s.workload().equals("checkoutservice"))
          .findFirst().orElseThrow();
      assertEquals(List.of(new OnlineBoutique.Call("paymentservice", "hipstershop.PaymentService/Charge")),
          checkout.methods().get("PlaceOrder"));
    }
  }

  @Test
  void whatCannotBePlannedIsRefusedWithItsReason() throws Exception {
    try (LiveIndex index = new LiveIndex(LiveIndex.Options.defaults())) {
      var model = boutique(index).model();
      assertTrue(assertThrows(IllegalArgumentException.class,
          () -> DemoPlan.onlineBoutique(model, "shop", Set.of(), DemoPlan.FIRST_ADDRESS)).getMessage()
          .contains("no Deployment shop/"));
      assertTrue(assertThrows(IllegalArgumentException.class,
          () -> DemoPlan.onlineBoutique(model, "default", Set.of("redis-cart"), DemoPlan.FIRST_ADDRESS)).getMessage()
          .contains("no service redis-cart"));
      assertTrue(assertThrows(IllegalArgumentException.class,
          () -> DemoPlan.onlineBoutique(model, "default", Set.of(), "10.0.0.1")).getMessage()
          .contains("loopback"));
      assertTrue(assertThrows(IllegalArgumentException.class,
          () -> DemoPlan.onlineBoutique(model, "default", Set.of(), "127.0.0.250")).getMessage()
          .contains("too few loopback addresses"));
    }
  }

  @Test
  void theLiveIndexGivesAPodItsDeploymentAndItsAddress() throws Exception {
    try (LiveIndex index = new LiveIndex(LiveIndex.Options.defaults())) {
      ClusterSnapshot before = boutique(index);
      DemoPlan plan = DemoPlan.onlineBoutique(before.model(), "default", Set.of("cartservice"), DemoPlan.FIRST_ADDRESS);
      plan.pods().forEach(p -> index.apply(p.toPod()));
      ClusterSnapshot s = index.flush().get(10, TimeUnit.SECONDS);
      DemoPod cart = plan.pod("cartservice").orElseThrow();
      Workload w = s.model().workloads().stream().filter(x -> x.name().equals("cartservice")).findFirst().orElseThrow();
      WorkloadStatus st = s.status(w);
      assertEquals(List.of(cart.name()), st.podNames());
      assertEquals(List.of(cart.address()), st.podIps());
      assertTrue(s.diagnostics().isEmpty(), s.diagnostics().toString());
      assertEquals(before.model().workloads().size(), s.model().workloads().size(),
          "a simulated pod joins its Deployment; it is no workload of its own");
    }
  }
}
