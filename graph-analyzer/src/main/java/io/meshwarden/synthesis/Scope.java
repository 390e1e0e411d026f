package io.meshwarden.synthesis;

import io.meshwarden.model.Protocol;
import io.meshwarden.traffic.Coverage;
import io.meshwarden.traffic.FlowSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How much of one direction of a workload a proposal restricts, and which source justified it. A
 * proposal restricts only what its sources could see: a direction no source watched stays
 * {@link Extent#OPEN}; a direction watched only on some ports (a proxy log sees the ports it logged)
 * is restricted on those {@link Extent#PORTS} and every other port stays open; a datapath source that
 * sees every port restricts {@link Extent#ALL}.
 *
 * @param ports the restricted ports with the sources that covered each (PORTS; for ALL, those seen)
 * @param sources the sources that covered this direction, by label; empty when OPEN
 * @param why one sentence for the reviewer: what is restricted, what stays open, and why
 */
public record Scope(Extent extent, List<CoveredPort> ports, List<String> sources, String why) {
  /** How far a direction is restricted. */
  public enum Extent {
    /** Not restricted at all: no source watched it. */
    OPEN,
    /** Restricted on the listed ports only; every other port stays open. */
    PORTS,
    /** Restricted on every port. */
    ALL
  }

  /** One port and the sources that watched it. */
  public record CoveredPort(Protocol protocol, int port, List<String> sources) {
    public CoveredPort {
      Objects.requireNonNull(protocol, "protocol");
      sources = List.copyOf(sources);
    }
  }

  public Scope {
    Objects.requireNonNull(extent, "extent");
    ports = List.copyOf(ports);
    sources = List.copyOf(sources);
    Objects.requireNonNull(why, "why");
    if (extent == Extent.PORTS && ports.isEmpty()) {
      throw new IllegalArgumentException("a PORTS scope lists its ports");
    }
  }

  /** Every port restricted, for intent that was written rather than learned (tests, hand-written sets). */
  public static Scope all(String why) {
    return new Scope(Extent.ALL, List.of(), List.of(), why);
  }

  /** Whether traffic on the port is restricted by the direction's rules (else it stays open). */
  public boolean restricts(Protocol protocol, int port) {
    return switch (extent) {
      case OPEN -> false;
      case ALL -> true;
      case PORTS -> ports.stream().anyMatch(p -> p.protocol() == protocol && p.port() == port);
    };
  }

  /** The scope one direction's coverage allows. */
  static Scope of(Coverage.Side side, String direction, Set<FlowSource> inUse) {
    if (side.isBlind()) {
      List<String> blind = new ArrayList<>();
      for (FlowSource s : inUse) {
        blind.add(s.label() + (s == FlowSource.HUBBLE ? " did not see this workload"
            : s.seesServerIngress() && direction.equals("egress") ? " sees only requests into the workloads that log them"
            : s.seesClientEgress() && direction.equals("ingress") ? " sees only calls out of the workloads that log them"
            : " cannot tell whose " + direction + " it watched"));
      }
      return new Scope(Extent.OPEN, List.of(), List.of(), "not restricted: no source in use watched its " + direction
          + (blind.isEmpty() ? "" : " (" + String.join("; ", blind) + ")"));
    }
    List<CoveredPort> ports = new ArrayList<>();
    TreeSet<String> all = new TreeSet<>();
    side.everyPort().forEach(s -> all.add(s.label()));
    for (Map.Entry<Coverage.PortKey, Set<FlowSource>> e : side.ports().entrySet()) {
      List<String> by = new ArrayList<>(labels(side.everyPort()));
      labels(e.getValue()).stream().filter(l -> !by.contains(l)).forEach(by::add);
      ports.add(new CoveredPort(e.getKey().protocol(), e.getKey().port(), by));
      all.addAll(labels(e.getValue()));
    }
    if (!side.everyPort().isEmpty()) {
      return new Scope(Extent.ALL, ports, List.copyOf(all), "every port restricted: "
          + String.join(", ", labels(side.everyPort())) + " watched all of its " + direction);
    }
    List<String> listed = ports.stream().map(p -> p.protocol() + " " + p.port() + " (" + String.join(", ", p.sources())
        + ")").toList();
    return new Scope(Extent.PORTS, ports, List.copyOf(all), "restricted only on " + String.join(", ", listed)
        + "; every other port stays open: no source in use watched it");
  }

  private static List<String> labels(Set<FlowSource> sources) {
    return sources.stream().sorted().map(FlowSource::label).toList();
  }
}
