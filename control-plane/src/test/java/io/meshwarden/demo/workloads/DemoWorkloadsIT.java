package io.meshwarden.demo.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.meshwarden.aggregate.LiveAggregator;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.index.ManifestSource;
import io.meshwarden.model.Workload;
import io.meshwarden.serve.ServeRuntime;
import io.meshwarden.sidecar.PolicyLayers;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.listener.ServedTranslator;
import io.meshwarden.store.SqliteStore;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.TrafficModel;
import io.meshwarden.xds.AdsServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated Online Boutique against a real control plane: the pods are applied to the live
 * index, their servers take their listeners from an ADS server and their access logs reach the
 * ALS receiver, which learns the app's edges from them.
 */
class DemoWorkloadsIT {
  static final String M = "../manifests/examples/online-boutique/upstream/release/kubernetes-manifests.yaml";
  static final String NS = "default";

  @TempDir
  Path dir;

  @Test
  void theServicesServeFromXdsAndTheControlPlaneLearnsTheirCalls() throws Exception {
    LiveIndex index = new LiveIndex(LiveIndex.Options.defaults());
    ManifestSource.load(index, List.of(M), NS, java.io.InputStream.nullInputStream());
    ClusterSnapshot first = index.flush().get(10, TimeUnit.SECONDS);
    DemoPlan plan = DemoPlan.onlineBoutique(first.model(), NS, Set.of("checkoutservice", "paymentservice", "cartservice"),
        "127.0.0.110");
    plan.pods().forEach(p -> index.apply(p.toPod()));
    index.flush().get(10, TimeUnit.SECONDS);
    StringWriter out = new StringWriter();
    ServeRuntime runtime = ServeRuntime.start(index, index.flush(), SqliteStore.open(dir),
        new ServeRuntime.Options(List.of(), dir, "127.0.0.1", 0, 0, 0, "cluster.local",
            new LiveAggregator.Settings(1 << 16, Duration.ofDays(30), Duration.ofSeconds(1), Clock.systemUTC()), "test"),
        new PrintWriter(out, true), new PrintWriter(out, true));
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<Function<String, PolicyLayers>> layers = new AtomicReference<>(w -> PolicyLayers.observe());
    AdsServer ads = new AdsServer(new AdsServer.Settings(false, Duration.ofMillis(50), Duration.ofSeconds(1)),
        (ns, pod) -> workloadOfPod(index.current(), ns, pod).map(Workload::name),
        g -> {
          Workload w = workload(index.current(), g.namespace(), g.workload());
          Set<Integer> ports = new TreeSet<>();
          w.containers().forEach(c -> c.ports().forEach(p -> ports.add(p.port())));
          return ServedTranslator.grpc(w.id(), ports, layers.get().apply(w.id()), TranslatorOptions.DEFAULTS);
        }, log::add);
    Server adsGrpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(ads.ads()).build()
        .start();
    AtomicBoolean intruder = new AtomicBoolean();
    DemoWorkloads demo = null;
    try {
      assertTrue(runtime.awaitReady(Duration.ofSeconds(20)), out.toString());
      ads.ready();
      demo = DemoWorkloads.start(plan, new InetSocketAddress("127.0.0.1", adsGrpc.getPort()),
          new InetSocketAddress("127.0.0.1", runtime.alsPort()),
          new DemoWorkloads.Settings(Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(30)),
          intruder::get, Clock.systemUTC(), log::add);
      DemoWorkloads d = demo;
      eventually(Duration.ofSeconds(20), () -> {
        Set<String> edges = edges(runtime.aggregator().view().join().traffic());
        assertTrue(edges.containsAll(Set.of("loadgenerator->frontend", "frontend->checkoutservice",
            "checkoutservice->paymentservice", "frontend->cartservice", "checkoutservice->cartservice")),
            edges + "\n" + d.snapshot() + "\n" + String.join("\n", log));
      });
      DemoWorkloads.Snapshot s = demo.snapshot();
      assertTrue(s.simulated());
      assertEquals(0, s.load().failed(), s.toString());
      assertTrue(s.pods().stream().filter(p -> p.port() > 0).allMatch(DemoWorkloads.PodStatus::serving), s.toString());
      assertEquals(0, runtime.counters().refused(), "every access log entry is attributed to its pod's workload");
    } finally {
      if (demo != null) {
        demo.close();
      }
      adsGrpc.shutdownNow();
      ads.close();
      runtime.close();
    }
  }

  static Set<String> edges(TrafficModel t) {
    Set<String> out = new TreeSet<>();
    for (ObservedEdge e : t.edges()) {
      out.add(name(e.key().source().id()) + "->" + name(e.key().destination().id()));
    }
    return out;
  }

  private static String name(String id) {
    return id.substring(id.lastIndexOf('/') + 1);
  }

  static Optional<Workload> workloadOfPod(ClusterSnapshot s, String ns, String pod) {
    return s.model().workloads().stream()
        .filter(w -> w.namespace().equals(ns) && s.status(w).podNames().contains(pod)).findFirst();
  }

  static Workload workload(ClusterSnapshot s, String ns, String name) {
    return s.model().workloads().stream().filter(w -> w.namespace().equals(ns) && w.name().equals(name)).findFirst()
        .orElseThrow();
  }

  static void eventually(Duration within, Runnable check) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        check.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > end) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }
}
