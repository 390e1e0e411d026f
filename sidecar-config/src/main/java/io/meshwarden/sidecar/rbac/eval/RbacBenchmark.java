package io.meshwarden.sidecar.rbac.eval;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.meshwarden.model.Protocol;
import io.meshwarden.sidecar.Mode;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.listener.EnvoyTranslator;
import io.meshwarden.synthesis.HttpMatch;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PortRule;
import io.meshwarden.synthesis.Provenance;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Measures decisions per second of {@link InboundEvaluator} on one thread, over a listener our own
 * translator generates (ports × peers × request shapes) and a fixed mix of allowed and denied
 * requests. For {@code meshwarden bench-rbac}; not thread-safe.
 */
public final class RbacBenchmark {
  /** The shape of the generated policy. */
  public record Spec(int ports, int peersPerPort, int pathsPerPort, int requests, long seed) {}

  /** Throughput and what was decided. */
  public record Result(long decisions, long nanos, double allowedShare, int policies, int unsupported) {
    public double decisionsPerSecond() {
      return decisions * 1e9 / nanos;
    }
  }

  private RbacBenchmark() {}

  /** Runs for about {@code warmupMillis + measureMillis}, measuring only the second part. */
  public static Result run(Spec spec, long warmupMillis, long measureMillis) {
    WorkloadPolicy policy = policy(spec);
    Listener listener = EnvoyTranslator.translate(policy, Mode.ENFORCE, TranslatorOptions.DEFAULTS).listeners().get(0);
    InboundEvaluator eval = InboundEvaluator.of(listener);
    Request[] requests = requests(spec);
    loop(eval, requests, warmupMillis * 1_000_000L);
    long[] r = loop(eval, requests, measureMillis * 1_000_000L);
    return new Result(r[0], r[1], (double) r[2] / r[0], spec.ports(), eval.unsupported().size());
  }

  /** {decisions, nanos, allowed}; checks the clock every 4096 decisions. */
  private static long[] loop(InboundEvaluator eval, Request[] requests, long budgetNanos) {
    long start = System.nanoTime();
    long end = start + budgetNanos;
    long n = 0;
    long allowed = 0;
    int mask = requests.length - 1;
    long now;
    do {
      for (int i = 0; i < 4096; i++) {
        if (eval.decide(requests[(int) (n++ & mask)]).allowed()) {
          allowed++;
        }
      }
      now = System.nanoTime();
    } while (now < end);
    return new long[] {n, now - start, allowed};
  }

  static String principal(int port, int peer) {
    return "cluster.local/ns/team-" + (peer % 7) + "/sa/client-" + port + "-" + peer;
  }

  static WorkloadPolicy policy(Spec spec) {
    List<PortRule> rules = new ArrayList<>();
    for (int p = 0; p < spec.ports(); p++) {
      int port = 8000 + p;
      List<Peer> peers = new ArrayList<>();
      for (int i = 0; i < spec.peersPerPort(); i++) {
        peers.add(Peer.workload("ns/Deployment/c" + i, "team-" + (i % 7), Map.of("app", "c" + i), principal(port, i)));
      }
      peers.add(Peer.cidr("10.0." + p + ".0/24"));
      List<HttpMatch> http = new ArrayList<>();
      for (int i = 0; i < spec.pathsPerPort(); i++) {
        http.add(new HttpMatch(i % 3 == 0 ? "GET" : "POST", "/svc.Api" + p + "/Method" + i, i % 5 == 4));
      }
      rules.add(new PortRule(Protocol.TCP, port, null, peers, http, Provenance.system("bench")));
    }
    return new WorkloadPolicy("bench", "bench/Deployment/server", "server", Map.of("app", "server"), "server", rules,
        List.of());
  }

  /** A power-of-two array: own requests, strangers, wrong paths, wrong ports, CIDR sources. */
  static Request[] requests(Spec spec) {
    int n = Integer.highestOneBit(Math.max(1, spec.requests() - 1)) << 1;
    Random rnd = new Random(spec.seed());
    Request[] out = new Request[n];
    for (int k = 0; k < n; k++) {
      int p = rnd.nextInt(spec.ports());
      int port = 8000 + p;
      int path = rnd.nextInt(spec.pathsPerPort());
      Request.Builder b = Request.builder().destinationPort(port).sourceIp("10.8." + (k & 255) + ".1")
          .method(path % 3 == 0 ? "GET" : "POST").path("/svc.Api" + p + "/Method" + path + (path % 5 == 4 ? "/x" : ""));
      switch (k % 8) {
        case 0, 1, 2, 3 -> b.principal("spiffe://" + principal(port, rnd.nextInt(spec.peersPerPort())));
        case 4 -> b.principal("spiffe://" + principal(port + 1, rnd.nextInt(spec.peersPerPort())));
        case 5 -> b.principal("spiffe://" + principal(port, 0)).path("/svc.Other/Method");
        case 6 -> b.sourceIp("10.0." + p + ".77");
        default -> b.principal("spiffe://" + principal(port, 1)).destinationPort(7999);
      }
      out[k] = b.build();
    }
    return out;
  }
}
