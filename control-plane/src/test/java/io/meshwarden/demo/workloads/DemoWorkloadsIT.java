package io.meshwarden.demo.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.meshwarden.aggregate.LiveAggregator;
import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.index.ManifestSource;
import io.meshwarden.model.Workload;
import io.meshwarden.proposal.Proposal;
import io.meshwarden.proposal.ProposalCalculator;
import io.meshwarden.serve.ServeRuntime;
import io.meshwarden.sidecar.PolicyLayers;
import io.meshwarden.sidecar.ServedResources;
import io.meshwarden.sidecar.ServingMode;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.listener.ServedTranslator;
import io.meshwarden.store.SqliteStore;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PolicySynthesizer;
import io.meshwarden.synthesis.PortRule;
import io.meshwarden.synthesis.WorkloadPolicy;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.TrafficModel;
import io.meshwarden.verdict.ServedNamespace;
import io.meshwarden.xds.AdsServer;
import io.meshwarden.xds.GroupKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated Online Boutique against the real control plane path: its pods applied to the live
 * index, its servers configured by the ADS server, its access logs learned through the ALS receiver,
 * its proposal computed by {@link ProposalCalculator} from the learned edges, and its calls judged by
 * the live dry-run ({@code GET /api/v1/namespaces/default/dryrun}). A harness stands in for the mode
 * state so that exactly one proposal, computed once from what observe learned (as a dry-run pin
 * would), is served: dry-run as shadow rules, enforce as rules, both with the callers' pod
 * addresses as the plaintext peers, as the contract says. {@code serve.DemoWorkloadsModesIT} runs
 * the same story through the modes API and the real mode state.
 */
public class DemoWorkloadsIT {
  static final String M = "../manifests/examples/online-boutique/upstream/release/kubernetes-manifests.yaml";
  static final String NS = "default";
  static final String CHARGE = "/hipstershop.PaymentService/Charge";

  @TempDir
  Path dir;

  @Test
  void theIntrudersCallIsWouldDenyInDryRunAndDeniedInEnforceWhileTheAppKeepsWorking() throws Exception {
    LiveIndex index = new LiveIndex(LiveIndex.Options.defaults());
    ManifestSource.load(index, List.of(M), NS, java.io.InputStream.nullInputStream());
    ClusterSnapshot first = index.flush().get(10, TimeUnit.SECONDS);
    DemoPlan plan = DemoPlan.onlineBoutique(first.model(), NS, Set.of("checkoutservice", "paymentservice", "cartservice"),
        "127.0.0.110");
    Harness served = new Harness(index);
    StringWriter out = new StringWriter();
    ServeRuntime runtime = ServeRuntime.start(index, index.flush(), SqliteStore.open(dir), served,
        new ServeRuntime.Options(List.of(), dir, "127.0.0.1", 0, 0, 0, "cluster.local",
            new LiveAggregator.Settings(1 << 16, Duration.ofDays(30), Duration.ofSeconds(1), Clock.systemUTC()), "test"),
        new PrintWriter(out, true), new PrintWriter(out, true));
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    AdsServer ads = new AdsServer(new AdsServer.Settings(false, Duration.ofMillis(50), Duration.ofSeconds(1)),
        (ns, pod) -> workloadOfPod(index.current(), ns, pod).map(Workload::name), served::resources, log::add);
    Server adsGrpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(ads.ads()).build()
        .start();
    AtomicBoolean intruderOn = new AtomicBoolean();
    DemoWorkloads demo = null;
    try {
      assertTrue(runtime.awaitReady(Duration.ofSeconds(20)), out.toString());
      ads.ready();
      demo = DemoWorkloads.start(index, plan, new InetSocketAddress("127.0.0.1", adsGrpc.getPort()),
          new InetSocketAddress("127.0.0.1", runtime.alsPort()),
          new DemoWorkloads.Settings(Duration.ofMillis(50), Duration.ofMillis(250), Duration.ofSeconds(30)),
          intruderOn::get, Clock.systemUTC(), log::add);
      DemoWorkloads d = demo;

      // Observe: the control plane learns every call the app makes, from the pods' access logs.
      Set<String> expected = appCalls(plan);
      eventually(Duration.ofSeconds(30), () -> {
        Set<String> learned = calls(runtime.aggregator().view().join().traffic());
        assertTrue(learned.containsAll(expected), "missing " + minus(expected, learned) + "\n" + d.snapshot());
      });
      DemoWorkloads.Snapshot s = demo.snapshot();
      assertTrue(s.simulated());
      assertEquals(0, s.load().failed(), s.toString());
      assertTrue(s.pods().stream().filter(p -> p.port() > 0).allMatch(DemoWorkloads.PodStatus::serving), s.toString());
      assertEquals(0, runtime.counters().refused(), "every access log entry is attributed to its pod's workload");
      assertFalse(calls(runtime.aggregator().view().join().traffic()).contains("frontend->paymentservice " + CHARGE));

      // Dry-run of the proposal computed from what was learned: the intruder is let through, and
      // the live dry-run names its call as one the proposal would deny.
      Proposal proposal = ProposalCalculator.compute(NS, index.current().model(),
          ProposalCalculator.byNamespace(runtime.aggregator().view().join().traffic().edges()).get(NS),
          PolicySynthesizer.Options.defaults(), System.currentTimeMillis());
      assertTrue(proposal.forWorkload(NS + "/Deployment/paymentservice").isPresent(), proposal.toJson());
      GroupKey payment = new GroupKey(NS, "paymentservice", "paymentservice", GroupKey.Form.GRPC);
      String observed = ads.version(payment).orElseThrow();
      served.set(ServingMode.DRY_RUN, proposal);
      ads.changed(g -> true);
      eventually(Duration.ofSeconds(10), () -> assertFalse(ads.version(payment).orElseThrow().equals(observed)));
      intruderOn.set(true);
      eventually(Duration.ofSeconds(15), () -> assertTrue(d.snapshot().intruder().allowed() >= 2, d.snapshot().toString()));
      eventually(Duration.ofSeconds(15), () -> {
        JsonObject report = get(runtime.httpPort(), "/api/v1/namespaces/default/dryrun");
        assertEquals("dry-run", report.getString("mode"), report.encodePrettily());
        assertEquals(proposal.version(), report.getString("proposalVersion"));
        List<JsonObject> flows = flows(report.getJsonObject("wouldDeny"));
        assertTrue(flows.stream().anyMatch(f -> f.getString("destination").contains("paymentservice")
            && f.getString("peer").contains("frontend") && CHARGE.equals(f.getString("path"))),
            report.encodePrettily());
        assertTrue(flows.stream().allMatch(f -> CHARGE.equals(f.getString("path"))),
            "only the intruder's call would be denied: " + report.encodePrettily());
      });
      s = demo.snapshot();
      assertEquals(0, s.intruder().denied(), "dry-run denies nothing");
      assertEquals(0, s.load().failed(), "dry-run denies nothing");
      assertTrue(s.pods().stream().allMatch(p -> p.deniedCalls() == 0), s.toString());

      // Enforce the same version: the intruder gets PERMISSION_DENIED, the app keeps working.
      served.set(ServingMode.ENFORCE, proposal);
      ads.changed(g -> true);
      eventually(Duration.ofSeconds(15), () -> assertTrue(d.snapshot().intruder().denied() >= 2, d.snapshot().toString()));
      long loadBefore = demo.snapshot().load().requests();
      long failedBefore = demo.snapshot().load().failed();
      long allowedBefore = demo.snapshot().intruder().allowed();
      eventually(Duration.ofSeconds(15), () -> assertTrue(d.snapshot().load().requests() >= loadBefore + 40));
      s = demo.snapshot();
      assertEquals(failedBefore, s.load().failed(), "the app's calls pass the enforced policy: " + s);
      assertEquals(allowedBefore, s.intruder().allowed(), "no intruder call passes once enforced: " + s);
      assertTrue(s.pods().stream().anyMatch(p -> p.workload().equals("paymentservice") && p.deniedCalls() >= 2),
          "paymentservice's access log reports the denials: " + s);
      assertTrue(log.stream().anyMatch(l -> l.contains("\"event\":\"demo_intruder_call\"")
          && l.contains("\"result\":\"denied\"")), String.join("\n", log));
      eventually(Duration.ofSeconds(15), () -> {
        JsonObject report = get(runtime.httpPort(), "/api/v1/namespaces/default/dryrun");
        assertTrue(flows(report.getJsonObject("drift")).stream().anyMatch(f -> CHARGE.equals(f.getString("path"))
            && f.getString("peer").contains("frontend")), "the denied intruder is drift: " + report.encodePrettily());
      });
    } finally {
      if (demo != null) {
        demo.close();
      }
      adsGrpc.shutdownNow();
      ads.close();
      runtime.close();
    }
  }

  /**
   * In place of the modes API: what the namespace is served, published to the live dry-run
   * ({@link io.meshwarden.verdict.ServedPolicies}) and built into the pods' snapshots from the same
   * values, so both see one policy.
   */
  static final class Harness implements io.meshwarden.verdict.ServedPolicies {
    private final LiveIndex index;
    private final AtomicReference<ServedNamespace> current = new AtomicReference<>();

    Harness(LiveIndex index) {
      this.index = index;
    }

    void set(ServingMode mode, Proposal p) {
      ClusterSnapshot s = index.current();
      Map<String, ServedResources> byWorkload = new HashMap<>();
      for (Workload w : s.model().workloads()) {
        if (!w.namespace().equals(NS)) {
          continue;
        }
        Optional<WorkloadPolicy> wp = p.forWorkload(w.id()).map(x -> withAddresses(x, s));
        PolicyLayers layers = wp.isEmpty() ? PolicyLayers.observe()
            : mode == ServingMode.ENFORCE ? PolicyLayers.enforce(wp.get(), wp.get()) : PolicyLayers.dryRun(wp.get());
        byWorkload.put(w.id(), ServedTranslator.grpc(w.id(), ports(w), layers, TranslatorOptions.DEFAULTS));
      }
      current.set(new ServedNamespace(NS, mode, p.version(), mode == ServingMode.ENFORCE ? p.version() : null,
          byWorkload));
    }

    ServedResources resources(GroupKey g) {
      Workload w = workload(index.current(), g.namespace(), g.workload());
      ServedNamespace n = current.get();
      return n != null && n.byWorkload().containsKey(w.id()) ? n.byWorkload().get(w.id())
          : ServedTranslator.grpc(w.id(), ports(w), PolicyLayers.observe(), TranslatorOptions.DEFAULTS);
    }

    @Override
    public Optional<ServedNamespace> namespace(String namespace) {
      return NS.equals(namespace) ? Optional.ofNullable(current.get()) : Optional.empty();
    }

    private static Set<Integer> ports(Workload w) {
      Set<Integer> ports = new TreeSet<>();
      w.containers().forEach(c -> c.ports().forEach(p -> ports.add(p.port())));
      return ports;
    }

    /** Workload peers also by their pods' addresses: plaintext callers have nothing else to show. */
    private static WorkloadPolicy withAddresses(WorkloadPolicy p, ClusterSnapshot s) {
      List<PortRule> ingress = new ArrayList<>();
      for (PortRule r : p.ingress()) {
        Set<Peer> peers = new TreeSet<>(r.peers());
        for (Peer peer : r.peers()) {
          if (peer.kind() == Peer.Kind.WORKLOAD) {
            s.model().workloads().stream().filter(w -> w.id().equals(peer.workloadId()))
                .forEach(w -> s.status(w).podIps().forEach(ip -> peers.add(Peer.cidr(ip + "/32"))));
          }
        }
        ingress.add(new PortRule(r.protocol(), r.port(), r.portName(), List.copyOf(peers), r.http(), r.provenance()));
      }
      return new WorkloadPolicy(p.namespace(), p.workloadId(), p.workloadName(), p.podLabels(), p.serviceAccount(),
          ingress, p.egress(), p.ingressScope(), p.egressScope(), p.flowsIn(), p.flowsOut());
    }
  }

  /** Every (caller, callee, path) the simulated app makes, from its plan. */
  static Set<String> appCalls(DemoPlan plan) {
    Set<String> out = new TreeSet<>();
    OnlineBoutique.LOAD.forEach(c -> out.add(OnlineBoutique.LOAD_GENERATOR + "->" + c.callee() + " " + c.path()));
    plan.services().forEach(s -> s.methods().values().forEach(calls -> calls.forEach(
        c -> out.add(s.workload() + "->" + c.callee() + " " + c.path()))));
    return out;
  }

  static Set<String> calls(TrafficModel t) {
    Set<String> out = new TreeSet<>();
    for (ObservedEdge e : t.edges()) {
      out.add(name(e.key().source().id()) + "->" + name(e.key().destination().id()) + " " + e.key().pathTemplate());
    }
    return out;
  }

  static Set<String> minus(Set<String> a, Set<String> b) {
    Set<String> out = new TreeSet<>(a);
    out.removeAll(b);
    return out;
  }

  /** Each flow of a dry-run layer, with its destination (also read by serve's DemoWorkloadsModesIT). */
  public static List<JsonObject> flows(JsonObject layer) {
    List<JsonObject> out = new ArrayList<>();
    if (layer == null) {
      return out;
    }
    for (Object d : layer.getJsonArray("byDestination", new JsonArray())) {
      JsonObject dest = (JsonObject) d;
      for (Object r : dest.getJsonArray("rules")) {
        for (Object f : ((JsonObject) r).getJsonArray("flows")) {
          out.add(((JsonObject) f).copy().put("destination", dest.getString("destination")));
        }
      }
    }
    return out;
  }

  static JsonObject get(int port, String path) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      return new JsonObject(r.body());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
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
