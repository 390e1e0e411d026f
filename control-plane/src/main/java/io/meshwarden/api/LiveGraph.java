package io.meshwarden.api;

import io.meshwarden.index.ClusterSnapshot;
import io.meshwarden.connectivity.ConnectionSet;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.model.Container;
import io.meshwarden.model.ContainerPort;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Protocol;
import io.meshwarden.model.Workload;
import io.meshwarden.traffic.ObservedEdge;
import io.meshwarden.traffic.PeerRef;
import io.meshwarden.traffic.TrafficModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code GET /api/v1/graph}: workloads (and the external peers traffic touched) as nodes; one edge
 * per source, target, protocol and port, with what was observed on it (HTTP routes summed) and
 * whether current policy allows it. Ports that policy allows to a workload's declared container
 * ports but that never carried traffic are edges with {@code observed: null}: the candidates for
 * least privilege. Pure; the caller serialises access to {@code connectivity}.
 */
final class LiveGraph {
  private LiveGraph() {}

  private record Key(String source, String target, Protocol protocol, int port) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = source.compareTo(o.source);
      c = c != 0 ? c : target.compareTo(o.target);
      c = c != 0 ? c : protocol.compareTo(o.protocol);
      return c != 0 ? c : Integer.compare(port, o.port);
    }
  }

  private static final class Seen {
    long count;
    Instant first;
    Instant last;
    boolean allowed;
  }

  /** @param namespace only nodes of this namespace and edges that touch one, or null for all */
  static JsonObject render(ClusterSnapshot cluster, Connectivity connectivity, TrafficModel traffic, String namespace) {
    Map<String, Workload> byId = new HashMap<>();
    for (Workload w : cluster.model().workloads()) {
      byId.put(w.id(), w);
    }
    Map<String, JsonObject> nodes = new TreeMap<>();
    for (Workload w : cluster.model().workloads()) {
      if (namespace == null || namespace.equals(w.namespace())) {
        nodes.put(displayId(w), node(w));
      }
    }
    Map<Key, Seen> edges = new TreeMap<>();
    for (ObservedEdge e : traffic.edges()) {
      Optional<Peer> src = peer(e.key().source(), byId);
      Optional<Peer> dst = peer(e.key().destination(), byId);
      String s = id(e.key().source(), byId);
      String d = id(e.key().destination(), byId);
      if (namespace != null && !inNamespace(src, namespace) && !inNamespace(dst, namespace)) {
        continue;
      }
      Key k = new Key(s, d, e.key().protocol(), e.key().port());
      Seen seen = edges.get(k);
      if (seen == null) {
        seen = new Seen();
        seen.first = e.stats().firstSeen();
        seen.last = e.stats().lastSeen();
        seen.allowed = true;
        edges.put(k, seen);
      }
      // Edges folded together (routes of one port, public addresses drawn as the internet) are
      // allowed only if policy allows every one of them.
      seen.allowed = seen.allowed
          && allowed(connectivity, e.key().source(), src, e.key().destination(), dst, k.protocol, k.port);
      seen.count += e.stats().count();
      seen.first = seen.first.isBefore(e.stats().firstSeen()) ? seen.first : e.stats().firstSeen();
      seen.last = seen.last.isAfter(e.stats().lastSeen()) ? seen.last : e.stats().lastSeen();
      for (Map.Entry<PeerRef, Optional<Peer>> end : List.of(Map.entry(e.key().source(), src),
          Map.entry(e.key().destination(), dst))) {
        String id = id(end.getKey(), byId);
        if (!nodes.containsKey(id)) {
          nodes.put(id, end.getValue().filter(p -> p instanceof Peer.WorkloadPeer)
              .map(p -> node(((Peer.WorkloadPeer) p).workload())).orElseGet(() -> otherNode(end.getKey())));
        }
      }
    }
    Map<Key, Boolean> allowedOnly = new TreeMap<>();
    connectivity.forEachAllowed((src, dst, allowed) -> {
      if (src instanceof Peer.WorkloadPeer s && dst instanceof Peer.WorkloadPeer d
          && (namespace == null || namespace.equals(s.workload().namespace())
              || namespace.equals(d.workload().namespace()))) {
        for (Container c : d.workload().containers()) {
          for (ContainerPort p : c.ports()) {
            Key k = new Key(displayId(s.workload()), displayId(d.workload()), p.protocol(), p.port());
            if (!edges.containsKey(k) && allowed.contains(p.protocol(), p.port())) {
              allowedOnly.put(k, Boolean.TRUE);
            }
          }
        }
      }
    });
    JsonArray edgeArray = new JsonArray();
    Map<Key, Object> all = new TreeMap<>(edges);
    all.putAll(allowedOnly);
    all.forEach((k, v) -> {
      JsonObject edge = new JsonObject().put("source", k.source).put("target", k.target)
          .put("protocol", k.protocol.name()).put("port", k.port);
      if (v instanceof Seen seen) {
        edge.put("observed", new JsonObject().put("count", seen.count).put("firstSeen", seen.first.toString())
            .put("lastSeen", seen.last.toString()));
        edge.put("allowed", seen.allowed);
      } else {
        edge.putNull("observed");
        edge.put("allowed", true);
      }
      edgeArray.add(edge);
    });
    return new JsonObject().put("nodes", new JsonArray(List.copyOf(nodes.values()))).put("edges", edgeArray);
  }

  /**
   * Single public addresses are drawn as the internet, as in the offline graph: a node per visitor
   * would bury the workloads. Whether policy allows an edge is still judged on its own address.
   */
  private static boolean foldsIntoInternet(PeerRef p) {
    return p.address().filter(a -> a.isSingleAddress() && !a.isPrivateUse()).isPresent();
  }

  /** The workload id as {@code connectivity} prints it: {@code namespace/name[Kind]}. */
  static String displayId(Workload w) {
    return w.namespace() + "/" + w.name() + "[" + w.kind() + "]";
  }

  private static JsonObject node(Workload w) {
    return new JsonObject().put("id", displayId(w)).put("namespace", w.namespace()).put("name", w.name())
        .put("kind", w.kind().name());
  }

  /** A node for a peer that is not a current workload: an external peer, or a workload that left. */
  private static JsonObject otherNode(PeerRef p) {
    if (p.isWorkload()) {
      String[] parts = p.id().split("/", 3);
      return new JsonObject().put("id", parts[0] + "/" + parts[2] + "[" + parts[1] + "]").put("namespace", parts[0])
          .put("name", parts[2]).put("kind", parts[1]);
    }
    boolean internet = p.type() == PeerRef.Type.INTERNET || foldsIntoInternet(p);
    String name = internet ? "internet" : p.id().substring("external:".length());
    return new JsonObject().put("id", internet ? "internet" : name + "[External]").putNull("namespace")
        .put("name", name).put("kind", internet ? "Internet" : "External");
  }

  static String id(PeerRef p, Map<String, Workload> byId) {
    if (foldsIntoInternet(p)) {
      return "internet";
    }
    if (p.isWorkload()) {
      Workload w = byId.get(p.id());
      if (w != null) {
        return displayId(w);
      }
      // A workload that left the cluster keeps its learned edges under the id it had.
      String[] parts = p.id().split("/", 3);
      return parts[0] + "/" + parts[2] + "[" + parts[1] + "]";
    }
    return p.type() == PeerRef.Type.INTERNET ? "internet" : p.id().substring("external:".length()) + "[External]";
  }

  static Optional<Peer> peer(PeerRef p, Map<String, Workload> byId) {
    if (p.isWorkload()) {
      Workload w = byId.get(p.id());
      return w == null ? Optional.empty() : Optional.of(new Peer.WorkloadPeer(w));
    }
    return Optional.empty();
  }

  private static boolean inNamespace(Optional<Peer> p, String namespace) {
    return p.isPresent() && p.get() instanceof Peer.WorkloadPeer w && w.workload().namespace().equals(namespace);
  }

  /**
   * Whether policy allows the port between the two ends. An external end is every policy range
   * that holds its address (or every public range for the internet and DNS names), as would-break
   * and dry-run judge it; a workload that left the cluster allows nothing.
   */
  static boolean allowed(Connectivity c, PeerRef srcRef, Optional<Peer> src, PeerRef dstRef, Optional<Peer> dst,
      Protocol protocol, int port) {
    List<Peer> sources = src.isPresent() ? List.of(src.get()) : srcRef.isWorkload() ? List.of()
        : c.externalPeers(srcRef.address().orElse(null), true);
    List<Peer> targets = dst.isPresent() ? List.of(dst.get()) : dstRef.isWorkload() ? List.of()
        : c.externalPeers(dstRef.address().orElse(null), dstRef.dnsName().orElse(null), false);
    for (Peer s : sources) {
      for (Peer d : targets) {
        ConnectionSet a = c.allowed(s, d);
        if (a.contains(protocol, port)) {
          return true;
        }
      }
    }
    return false;
  }
}
