package io.meshwarden.sidecar;

import io.meshwarden.bench.SyntheticCluster;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.Container;
import io.meshwarden.model.ContainerPort;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Workload;
import io.meshwarden.sidecar.listener.EnvoyTranslator;
import io.meshwarden.sidecar.validate.ResourceValidator;
import io.meshwarden.synthesis.PolicySet;
import io.meshwarden.synthesis.PolicySynthesizer;
import io.meshwarden.traffic.EdgeKey;
import io.meshwarden.traffic.EdgeStats;
import io.meshwarden.traffic.FlowSource;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import io.meshwarden.traffic.TrafficModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Times policy generation end to end on a synthetic cluster: synthesis from aggregated edges, then
 * Envoy translation and validation of every workload's resources.
 */
public final class GenerationBenchmark {
  /** One measured run; times in milliseconds. */
  public record Result(int workloads, int edges, int rules, long synthesizeMillis, long translateMillis,
      long validateMillis, int invalid, long heapUsedMb) {
    public long totalMillis() {
      return synthesizeMillis + translateMillis + validateMillis;
    }
  }

  private GenerationBenchmark() {}

  /**
   * @param httpShare the share of edges that carry an HTTP method and path
   */
  public static Result run(int workloads, int edges, double httpShare, long seed) {
    ClusterModel model = SyntheticCluster.generate(new SyntheticCluster.Spec(Math.max(1, workloads / 100), workloads, 0,
        0.0, seed));
    TrafficModel traffic = traffic(model, edges, httpShare, seed);
    System.gc();
    long t0 = System.nanoTime();
    PolicySet set = PolicySynthesizer.synthesize(model, traffic, PolicySynthesizer.Options.defaults()).policies();
    long t1 = System.nanoTime();
    // Translation and validation are pure per workload, so they use every core.
    List<WorkloadResources> resources = set.policies().parallelStream()
        .map(p -> EnvoyTranslator.translate(p, Mode.ENFORCE, TranslatorOptions.DEFAULTS)).toList();
    long t2 = System.nanoTime();
    int invalid = (int) resources.parallelStream().filter(r -> !ResourceValidator.validate(r).isEmpty()).count();
    long t3 = System.nanoTime();
    int rules = set.policies().stream().mapToInt(p -> p.ingress().size() + p.egress().size()).sum();
    Runtime rt = Runtime.getRuntime();
    return new Result(workloads, traffic.edges().size(), rules, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
        (t3 - t2) / 1_000_000, invalid, (rt.totalMemory() - rt.freeMemory()) >> 20);
  }

  /** Distinct aggregated edges between random workloads, on the destination's declared ports. */
  static TrafficModel traffic(ClusterModel model, int count, double httpShare, long seed) {
    Random rnd = new Random(seed);
    List<Workload> ws = model.workloads();
    Instant t = Instant.parse("2026-11-01T00:00:00Z");
    List<ObservedEdge> out = new ArrayList<>(count);
    java.util.Set<EdgeKey> seen = new java.util.HashSet<>(count * 2);
    PeerRef[] refs = ws.stream().map(w -> PeerRef.workload(w.id())).toArray(PeerRef[]::new);
    Origin origin = new Origin("<synthetic>", 0);
    while (out.size() < count) {
      int s = rnd.nextInt(ws.size());
      // Callers concentrate on a few popular services, as real call graphs do.
      int d = (int) Math.min(ws.size() - 1, Math.abs(rnd.nextGaussian()) * ws.size() / 3);
      if (s == d) {
        continue;
      }
      Container c = ws.get(d).containers().get(0);
      ContainerPort p = c.ports().get(rnd.nextInt(c.ports().size()));
      boolean http = rnd.nextDouble() < httpShare;
      EdgeKey key = new EdgeKey(refs[s], refs[d], p.protocol(), p.port(), http ? (rnd.nextBoolean() ? "GET" : "POST") : null,
          http ? "/api/v1/resource" + rnd.nextInt(40) + "/{id}" : null);
      if (seen.add(key)) {
        // As a datapath source sees them: both directions, every port, so that everything is restricted.
        out.add(new ObservedEdge(key, new EdgeStats(1 + rnd.nextInt(1000), 0, t, t.plusSeconds(rnd.nextInt(86400)), 0,
            origin, java.util.Set.of(FlowSource.HUBBLE))));
      }
    }
    java.util.Collections.sort(out, java.util.Comparator.comparing(ObservedEdge::key));
    return new TrafficModel(out, count, List.of(), 0, Map.of());
  }
}
