package io.meshwarden.verdict;

import io.meshwarden.aggregate.Observation;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Workload;
import io.meshwarden.model.WorkloadKind;
import io.meshwarden.sidecar.PolicyLayers;
import io.meshwarden.sidecar.ServedResources;
import io.meshwarden.sidecar.ServingMode;
import io.meshwarden.sidecar.TranslatorOptions;
import io.meshwarden.sidecar.listener.ServedTranslator;
import io.meshwarden.synthesis.HttpMatch;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PortRule;
import io.meshwarden.synthesis.Provenance;
import io.meshwarden.synthesis.WorkloadPolicy;
import io.meshwarden.traffic.Endpoint;
import io.meshwarden.traffic.FlowSource;
import io.meshwarden.traffic.ObservedFlow;
import io.meshwarden.traffic.PeerRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A cart service whose proposal admits the frontend's GetCart and AddItem on 7070, and flows to judge. */
public final class VerdictFixtures {
  private VerdictFixtures() {}

  public static final String NS = "shop";
  public static final String FRONTEND_SAN = "spiffe://cluster.local/ns/shop/sa/frontend";
  public static final String OTHER_SAN = "spiffe://cluster.local/ns/shop/sa/other";
  public static final PeerRef FRONTEND = PeerRef.workload("shop/Deployment/frontend");
  public static final PeerRef OTHER = PeerRef.workload("shop/Deployment/other");
  public static final Workload CART = new Workload(NS, WorkloadKind.Deployment, "cart", Map.of("app", "cart"), List.of(),
      "cart", false, 1, List.of("10.0.0.12"), Origin.UNKNOWN, List.of());
  public static final String RULE = "ns[shop]-workload[cart]-port[07070]-rule[0]";
  public static final String GET_CART = "/hipstershop.CartService/GetCart";
  public static final String EMPTY_CART = "/hipstershop.CartService/EmptyCart";

  public static WorkloadPolicy cartPolicy(String... methods) {
    List<HttpMatch> http = java.util.Arrays.stream(methods).map(m -> new HttpMatch("POST", m, false)).toList();
    PortRule rule = new PortRule(Protocol.TCP, 7070, "grpc", List.of(Peer.workload(FRONTEND.id(), NS,
        Map.of("app", "frontend"), "cluster.local/ns/shop/sa/frontend")), http,
        new Provenance("observed", List.of(), 10, null, null));
    return new WorkloadPolicy(NS, CART.id(), "cart", Map.of("app", "cart"), "cart", List.of(rule), List.of());
  }

  public static final WorkloadPolicy CART_POLICY = cartPolicy(GET_CART, "/hipstershop.CartService/AddItem");

  public static ServedResources envoy(PolicyLayers layers) {
    return ServedTranslator.envoy(CART.id(), layers, TranslatorOptions.DEFAULTS, "als");
  }

  public static ServedNamespace dryRun(String version, ServedResources r) {
    return new ServedNamespace(NS, ServingMode.DRY_RUN, version, null, Map.of(CART.id(), r));
  }

  public static ServedNamespace enforce(String approved, String proposal) {
    return new ServedNamespace(NS, ServingMode.ENFORCE, proposal, approved,
        Map.of(CART.id(), envoy(PolicyLayers.enforce(CART_POLICY, CART_POLICY))));
  }

  /** What each namespace is served, set by the test. */
  public static final class Served implements ServedPolicies {
    private final Map<String, ServedNamespace> byNamespace = new ConcurrentHashMap<>();

    public Served set(ServedNamespace s) {
      byNamespace.put(s.namespace(), s);
      return this;
    }

    @Override
    public Optional<ServedNamespace> namespace(String namespace) {
      return Optional.ofNullable(byNamespace.get(namespace));
    }
  }

  /** A clock the test moves. */
  public static final class TestClock extends Clock {
    public volatile Instant now;

    public TestClock(Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** An inbound gRPC call to the cart, as the ALS decoder makes it. */
  public static Observation call(Instant at, String san, String path, String shadow, String details, int code) {
    ObservedFlow f = new ObservedFlow(at, new Endpoint("10.0.0.10", 40000, null, null, Map.of(), null, san, null, null),
        Endpoint.ofAddress("10.0.0.12", 7070), Protocol.TCP, 7070, "POST", path, null, code, 100,
        details != null && details.startsWith(Judge.ENVOY_DENIED) ? ObservedFlow.Verdict.DENIED
            : ObservedFlow.Verdict.FORWARDED, Origin.UNKNOWN, FlowSource.ENVOY_INBOUND_HTTP);
    return new Observation(null, f, shadow, null, details, true);
  }

  public static Observation call(Instant at, String san, String path) {
    return call(at, san, path, null, "via_upstream", 200);
  }

  /** Hands an observation of the cart to the ledger as the aggregator does, with its edge's method and path template. */
  public static void accept(LiveVerdicts verdicts, Observation o, PeerRef peer) {
    String method = io.meshwarden.traffic.TrafficAggregator.canonicalMethod(o.flow().httpMethod());
    verdicts.accepted(o, peer, CART, method,
        method == null ? null : io.meshwarden.traffic.PathTemplates.template(o.flow().httpPath()));
  }

  /** An L4 record (no method, no path) to the cart's port. */
  public static Observation connection(Instant at, String san) {
    ObservedFlow f = new ObservedFlow(at, new Endpoint("10.0.0.10", 40000, null, null, Map.of(), null, san, null, null),
        Endpoint.ofAddress("10.0.0.12", 7070), Protocol.TCP, 7070, null, null, null, 0, 100,
        ObservedFlow.Verdict.FORWARDED, Origin.UNKNOWN, FlowSource.ENVOY_INBOUND_TCP);
    return new Observation(null, f, null, null, null, true);
  }
}
