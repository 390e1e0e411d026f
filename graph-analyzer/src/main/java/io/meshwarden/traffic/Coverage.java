package io.meshwarden.traffic;

import io.meshwarden.model.Protocol;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a set of observed edges could see, per workload and direction: the sources that watched
 * every port of it, and per port the sources that watched that port. A direction or port nobody
 * watched is not evidence of "no traffic" but of "not looked at"; only what is covered may be
 * restricted or called unused. Also the window and the flow counts per workload. Immutable.
 */
public final class Coverage {
  /** One L4 port. */
  public record PortKey(Protocol protocol, int port) implements Comparable<PortKey> {
    public PortKey {
      Objects.requireNonNull(protocol, "protocol");
    }

    @Override
    public int compareTo(PortKey o) {
      int c = protocol.compareTo(o.protocol);
      return c != 0 ? c : Integer.compare(port, o.port);
    }

    @Override
    public String toString() {
      return protocol + " " + port;
    }
  }

  /**
   * What the sources saw of one direction of one workload.
   *
   * @param everyPort sources that watched this direction on every port
   * @param ports per port, the sources that watched it (only ports something was seen on)
   */
  public record Side(Set<FlowSource> everyPort, Map<PortKey, Set<FlowSource>> ports) {
    static final Side NONE = new Side(Set.of(), Map.of());

    public Side {
      everyPort = everyPort.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(everyPort));
      ports = Collections.unmodifiableMap(new TreeMap<>(ports));
    }

    /** Whether no source watched this direction at all. */
    public boolean isBlind() {
      return everyPort.isEmpty() && ports.isEmpty();
    }

    /** Whether traffic on the port would have been seen. */
    public boolean covers(Protocol protocol, int port) {
      return !everyPort.isEmpty() || ports.containsKey(new PortKey(protocol, port));
    }

    /** The sources that would have seen traffic on the port, sorted; empty when none. */
    public Set<FlowSource> sourcesOf(Protocol protocol, int port) {
      EnumSet<FlowSource> out = EnumSet.noneOf(FlowSource.class);
      out.addAll(everyPort);
      out.addAll(ports.getOrDefault(new PortKey(protocol, port), Set.of()));
      return out;
    }
  }

  private final Map<String, Side> ingress;
  private final Map<String, Side> egress;
  private final Map<String, long[]> flows;
  private final Set<FlowSource> sources;
  private final Instant firstSeen;
  private final Instant lastSeen;

  private Coverage(Map<String, Side> ingress, Map<String, Side> egress, Map<String, long[]> flows,
      Set<FlowSource> sources, Instant firstSeen, Instant lastSeen) {
    this.ingress = ingress;
    this.egress = egress;
    this.flows = flows;
    this.sources = sources;
    this.firstSeen = firstSeen;
    this.lastSeen = lastSeen;
  }

  /** The coverage of these edges; workloads are the edges' workload endpoints. */
  public static Coverage of(List<ObservedEdge> edges) {
    Map<String, EnumSet<FlowSource>> inAll = new HashMap<>();
    Map<String, EnumSet<FlowSource>> outAll = new HashMap<>();
    Map<String, Map<PortKey, Set<FlowSource>>> inPorts = new HashMap<>();
    Map<String, Map<PortKey, Set<FlowSource>>> outPorts = new HashMap<>();
    Map<String, long[]> flows = new HashMap<>();
    EnumSet<FlowSource> sources = EnumSet.noneOf(FlowSource.class);
    Instant first = null;
    Instant last = null;
    for (ObservedEdge e : edges) {
      EdgeStats s = e.stats();
      first = first == null || s.firstSeen().isBefore(first) ? s.firstSeen() : first;
      last = last == null || s.lastSeen().isAfter(last) ? s.lastSeen() : last;
      sources.addAll(s.observers());
      PortKey port = new PortKey(e.key().protocol(), e.key().port());
      PeerRef src = e.key().source();
      PeerRef dst = e.key().destination();
      if (src.isWorkload()) {
        flows.computeIfAbsent(src.id(), k -> new long[2])[1] += s.count();
      }
      if (dst.isWorkload()) {
        flows.computeIfAbsent(dst.id(), k -> new long[2])[0] += s.count();
      }
      for (FlowSource o : s.observers()) {
        if (o.seesServerIngress() && dst.isWorkload()) {
          note(dst.id(), o, port, inAll, inPorts);
        }
        if (o.seesClientEgress() && src.isWorkload()) {
          note(src.id(), o, port, outAll, outPorts);
        }
        // A datapath that saw a workload at all saw both of its directions.
        if (o.seesEveryPort() && o.seesServerIngress() && o.seesClientEgress()) {
          for (PeerRef p : List.of(src, dst)) {
            if (p.isWorkload()) {
              inAll.computeIfAbsent(p.id(), k -> EnumSet.noneOf(FlowSource.class)).add(o);
              outAll.computeIfAbsent(p.id(), k -> EnumSet.noneOf(FlowSource.class)).add(o);
            }
          }
        }
      }
    }
    return new Coverage(sides(inAll, inPorts), sides(outAll, outPorts), flows,
        Collections.unmodifiableSet(sources), first, last);
  }

  private static void note(String id, FlowSource o, PortKey port, Map<String, EnumSet<FlowSource>> all,
      Map<String, Map<PortKey, Set<FlowSource>>> perPort) {
    if (o.seesEveryPort()) {
      all.computeIfAbsent(id, k -> EnumSet.noneOf(FlowSource.class)).add(o);
    } else {
      perPort.computeIfAbsent(id, k -> new HashMap<>()).computeIfAbsent(port, k -> EnumSet.noneOf(FlowSource.class))
          .add(o);
    }
  }

  private static Map<String, Side> sides(Map<String, EnumSet<FlowSource>> all,
      Map<String, Map<PortKey, Set<FlowSource>>> perPort) {
    Map<String, Side> out = new HashMap<>();
    Set<String> ids = new java.util.HashSet<>(all.keySet());
    ids.addAll(perPort.keySet());
    for (String id : ids) {
      out.put(id, new Side(all.getOrDefault(id, EnumSet.noneOf(FlowSource.class)), perPort.getOrDefault(id, Map.of())));
    }
    return Map.copyOf(out);
  }

  /** What the sources saw of the workload's ingress. */
  public Side ingress(String workloadId) {
    return ingress.getOrDefault(workloadId, Side.NONE);
  }

  /** What the sources saw of the workload's egress. */
  public Side egress(String workloadId) {
    return egress.getOrDefault(workloadId, Side.NONE);
  }

  /** Flows into the workload. */
  public long flowsIn(String workloadId) {
    long[] f = flows.get(workloadId);
    return f == null ? 0 : f[0];
  }

  /** Flows out of the workload. */
  public long flowsOut(String workloadId) {
    long[] f = flows.get(workloadId);
    return f == null ? 0 : f[1];
  }

  /** Whether any flow in or out of the workload was observed. */
  public boolean hasEvidence(String workloadId) {
    return flows.containsKey(workloadId);
  }

  /** Every kind of source that recorded at least one of the edges. */
  public Set<FlowSource> sources() {
    return sources;
  }

  /** The earliest observation, or null without edges. */
  public Instant firstSeen() {
    return firstSeen;
  }

  /** The latest observation, or null without edges. */
  public Instant lastSeen() {
    return lastSeen;
  }
}
