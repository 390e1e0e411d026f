package io.meshwarden.sidecar;

import io.meshwarden.model.Protocol;
import io.meshwarden.synthesis.HttpMatch;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PolicySet;
import io.meshwarden.synthesis.PortRule;
import io.meshwarden.synthesis.Provenance;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Hand-built PolicySets: a small two-namespace one and one shaped like Online Boutique. */
public final class Fixtures {
  private Fixtures() {}

  /** A workload of the fixtures: namespace, name, service account, labels {@code app: name}. */
  public record W(String ns, String name, String sa) {
    public String id() {
      return ns + "/Deployment/" + name;
    }

    public Map<String, String> labels() {
      return Map.of("app", name);
    }

    public String principal() {
      return "cluster.local/ns/" + ns + "/sa/" + sa;
    }

    public Peer peer() {
      return Peer.workload(id(), ns, labels(), principal());
    }
  }

  /** An observed call: src (null for a CIDR / kubelet source) to dst:port, with HTTP shapes. */
  public record Edge(W src, Peer srcPeer, W dst, Protocol protocol, int port, List<HttpMatch> http) {}

  public static Edge call(W src, W dst, int port, String... grpcMethods) {
    List<HttpMatch> http = new ArrayList<>();
    for (String m : grpcMethods) {
      http.add(new HttpMatch("POST", m, false));
    }
    return new Edge(src, src.peer(), dst, Protocol.TCP, port, http);
  }

  public static Edge from(Peer peer, W dst, int port, HttpMatch... http) {
    return new Edge(null, peer, dst, Protocol.TCP, port, List.of(http));
  }

  /** Ingress per (dst, port) with every source and the union of shapes; egress per (src, dst, port); DNS for all. */
  public static PolicySet policySet(List<W> workloads, List<Edge> edges) {
    List<WorkloadPolicy> out = new ArrayList<>();
    for (W w : workloads) {
      Map<String, List<Edge>> in = new TreeMap<>();
      Map<String, List<Edge>> eg = new TreeMap<>();
      for (Edge e : edges) {
        if (e.dst().equals(w)) {
          in.computeIfAbsent(e.protocol() + "/" + String.format("%05d", e.port()), k -> new ArrayList<>()).add(e);
        }
        if (w.equals(e.src())) {
          eg.computeIfAbsent(e.protocol() + "/" + String.format("%05d", e.port()), k -> new ArrayList<>()).add(e);
        }
      }
      List<PortRule> ingress = new ArrayList<>();
      for (List<Edge> group : in.values()) {
        Map<String, Peer> peers = new TreeMap<>();
        List<HttpMatch> http = new ArrayList<>();
        for (Edge e : group) {
          peers.put(e.srcPeer().key(), e.srcPeer());
          e.http().stream().filter(h -> !http.contains(h)).forEach(http::add);
        }
        Edge first = group.get(0);
        ingress.add(new PortRule(first.protocol(), first.port(), null, List.copyOf(peers.values()),
            http.stream().sorted().toList(), provenance(group.size())));
      }
      List<PortRule> egress = new ArrayList<>();
      for (List<Edge> group : eg.values()) {
        Map<String, Peer> peers = new LinkedHashMap<>();
        group.forEach(e -> peers.put(e.dst().peer().key(), e.dst().peer()));
        Edge first = group.get(0);
        egress.add(new PortRule(first.protocol(), first.port(), null, List.copyOf(new TreeMap<>(peers).values()),
            List.of(), provenance(group.size())));
      }
      egress.add(new PortRule(Protocol.UDP, 53, "dns", List.of(Peer.KUBE_DNS), List.of(), Provenance.system("dns")));
      out.add(new WorkloadPolicy(w.ns(), w.id(), w.name(), w.labels(), w.sa(), ingress, egress));
    }
    return new PolicySet("cluster.local", out);
  }

  private static Provenance provenance(int edges) {
    return new Provenance("observed", List.of(), edges, null, null);
  }

  // Online Boutique (GoogleCloudPlatform/microservices-demo), namespace default.
  public static final W FRONTEND = new W("default", "frontend", "frontend");
  public static final W AD = new W("default", "adservice", "adservice");
  public static final W CART = new W("default", "cartservice", "cartservice");
  public static final W CHECKOUT = new W("default", "checkoutservice", "checkoutservice");
  public static final W CURRENCY = new W("default", "currencyservice", "currencyservice");
  public static final W EMAIL = new W("default", "emailservice", "emailservice");
  public static final W PAYMENT = new W("default", "paymentservice", "paymentservice");
  public static final W CATALOG = new W("default", "productcatalogservice", "productcatalogservice");
  public static final W RECOMMENDATION = new W("default", "recommendationservice", "recommendationservice");
  public static final W SHIPPING = new W("default", "shippingservice", "shippingservice");
  public static final W REDIS = new W("default", "redis-cart", "default");
  public static final W LOADGEN = new W("default", "loadgenerator", "loadgenerator");

  public static final List<W> BOUTIQUE = List.of(AD, CART, CHECKOUT, CURRENCY, EMAIL, FRONTEND, LOADGEN, PAYMENT,
      CATALOG, RECOMMENDATION, REDIS, SHIPPING);

  public static List<Edge> boutiqueEdges() {
    String h = "/hipstershop.";
    return List.of(
        from(Peer.cidr("0.0.0.0/0"), FRONTEND, 8080, new HttpMatch("GET", "/", false),
            new HttpMatch("GET", "/product/", true), new HttpMatch("POST", "/cart", false),
            new HttpMatch("GET", "/static/", true)),
        from(Peer.KUBELET, FRONTEND, 8080, new HttpMatch("GET", "/_healthz", false)),
        new Edge(LOADGEN, LOADGEN.peer(), FRONTEND, Protocol.TCP, 8080,
            List.of(new HttpMatch("GET", "/", false), new HttpMatch("GET", "/product/", true),
                new HttpMatch("POST", "/cart", false), new HttpMatch("POST", "/cart/checkout", false))),
        call(FRONTEND, AD, 9555, h + "AdService/GetAds"),
        call(FRONTEND, CART, 7070, h + "CartService/GetCart", h + "CartService/AddItem"),
        call(FRONTEND, CHECKOUT, 5050, h + "CheckoutService/PlaceOrder"),
        call(FRONTEND, CURRENCY, 7000, h + "CurrencyService/GetSupportedCurrencies", h + "CurrencyService/Convert"),
        call(FRONTEND, CATALOG, 3550, h + "ProductCatalogService/ListProducts", h + "ProductCatalogService/GetProduct"),
        call(FRONTEND, RECOMMENDATION, 8080, h + "RecommendationService/ListRecommendations"),
        call(FRONTEND, SHIPPING, 50051, h + "ShippingService/GetQuote"),
        call(CHECKOUT, CART, 7070, h + "CartService/GetCart", h + "CartService/EmptyCart"),
        call(CHECKOUT, CURRENCY, 7000, h + "CurrencyService/Convert"),
        call(CHECKOUT, EMAIL, 8080, h + "EmailService/SendOrderConfirmation"),
        call(CHECKOUT, PAYMENT, 50051, h + "PaymentService/Charge"),
        call(CHECKOUT, CATALOG, 3550, h + "ProductCatalogService/GetProduct"),
        call(CHECKOUT, SHIPPING, 50051, h + "ShippingService/GetQuote", h + "ShippingService/ShipOrder"),
        call(RECOMMENDATION, CATALOG, 3550, h + "ProductCatalogService/ListProducts"),
        new Edge(CART, CART.peer(), REDIS, Protocol.TCP, 6379, List.of()));
  }

  public static PolicySet boutique() {
    return policySet(BOUTIQUE, boutiqueEdges());
  }

  // A small set across two namespaces: HTTP with prefixes, plain TCP, a CIDR source, UDP.
  public static final W WEB = new W("shop", "web", "web");
  public static final W API = new W("shop", "api", "api-sa");
  public static final W DB = new W("data", "db", "db");
  public static final W METRICS = new W("ops", "metrics", "metrics");

  public static final List<W> SMALL = List.of(WEB, API, DB);

  public static List<Edge> smallEdges() {
    return List.of(
        from(Peer.cidr("203.0.113.0/24"), WEB, 8080, new HttpMatch("GET", "/", true)),
        new Edge(WEB, WEB.peer(), API, Protocol.TCP, 9090,
            List.of(new HttpMatch("GET", "/v1/items", true), new HttpMatch(null, "/v1/health", false))),
        new Edge(API, API.peer(), DB, Protocol.TCP, 5432, List.of()),
        new Edge(METRICS, METRICS.peer(), API, Protocol.TCP, 9091, List.of()),
        new Edge(API, API.peer(), DB, Protocol.UDP, 8125, List.of()));
  }

  public static PolicySet small() {
    return policySet(SMALL, smallEdges());
  }
}
