package io.meshwarden.report;

import io.meshwarden.connectivity.Connection;
import io.meshwarden.connectivity.Focus;
import io.meshwarden.connectivity.Network;
import io.meshwarden.connectivity.Peer;
import io.meshwarden.connectivity.WorkloadNetworks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Connectivity lists under multi-network analysis, in np-guard's layout: one section per network
 * (the pod network, then primary UDNs, primary CUDNs and secondary NADs, each by name), and the
 * workloads' networks at the end.
 */
final class NetworkSections {
  private static final String SECTION = "Permitted connectivity analyzed in ";
  private static final String NO_POD_NETWORK_WORKLOADS =
      "all input workloads are configured with (C)UDN as their primary network interface";
  private static final String POD_NETWORK_BLOCKED =
      "All connections are not allowed for the workloads in the pod-network";

  private NetworkSections() {}

  /** One rendered connection: peers as shown in its network's section. */
  record Row(String src, String dst, String conn, Network network) {
    String line() {
      return src + " => " + dst + " : " + conn;
    }

    String pair() {
      return src + " => " + dst;
    }
  }

  /**
   * The rows, sorted by source, destination and network name. On a primary UDN, peers of the
   * UDN's namespace are marked {@code ns[udn]/name[Kind]}, since the namespace is the network.
   */
  static List<Row> rows(List<Connection> connections) {
    List<Row> out = new ArrayList<>();
    for (Connection c : connections) {
      out.add(new Row(peer(c.src(), c.network()), peer(c.dst(), c.network()), c.allowed().toString(), c.network()));
    }
    out.sort(Comparator.comparing(Row::src).thenComparing(Row::dst).thenComparing(r -> r.network().name()));
    return out;
  }

  private static String peer(Peer p, Network n) {
    if (n.kind() == Network.Kind.PRIMARY_UDN && p instanceof Peer.WorkloadPeer w
        && w.workload().namespace().equals(n.name())) {
      return w.workload().namespace() + "[udn]/" + w.workload().name() + "[" + w.workload().kind() + "]";
    }
    return p.displayName();
  }

  static String txt(List<Connection> connections, List<WorkloadNetworks> workloads) {
    Grouped g = group(rows(connections));
    StringBuilder sb = new StringBuilder();
    if (g.hasNetworkSections()) {
      sb.append(SECTION).append("Pod network:\n");
      if (g.pod.isEmpty()) {
        long onPodNetwork = workloads.stream().filter(w -> w.primary().equals(Network.POD)).count();
        sb.append(onPodNetwork == 0 ? NO_POD_NETWORK_WORKLOADS : POD_NETWORK_BLOCKED).append('\n');
      }
    }
    g.pod.forEach(r -> sb.append(r.line()).append('\n'));
    g.sections((header, rows) -> {
      sb.append('\n').append(SECTION).append(header).append(":\n");
      rows.forEach(r -> sb.append(r.line()).append('\n'));
    });
    if (!workloads.isEmpty()) {
      sb.append("\nWorkload-to-Networks Mapping:\n");
      for (WorkloadNetworks w : workloads) {
        sb.append(new Peer.WorkloadPeer(w.workload()).displayName()).append(": \n\tPrimary Network: ")
            .append(w.primary().label()).append('\n');
        if (!w.secondary().isEmpty()) {
          sb.append("\tSecondary Networks: ")
              .append(String.join(",", w.secondary().stream().map(Network::label).sorted().toList())).append('\n');
        }
      }
    }
    return sb.toString();
  }

  static String focusConnection(List<Connection> connections, Focus.FocusConnection focus) {
    Grouped g = group(rows(connections));
    StringBuilder sb = new StringBuilder("Permitted connections on ").append(focus).append(":\n");
    if (g.hasNetworkSections() && !g.pod.isEmpty()) {
      sb.append(SECTION).append("Pod network:\n");
    }
    g.pod.forEach(r -> sb.append(r.pair()).append('\n'));
    g.sections((header, rows) -> {
      sb.append('\n').append(SECTION).append(header).append(":\n");
      rows.forEach(r -> sb.append(r.pair()).append('\n'));
    });
    return sb.toString();
  }

  private static Grouped group(List<Row> rows) {
    Grouped g = new Grouped();
    for (Row r : rows) {
      if (r.network().kind() == Network.Kind.POD_NETWORK) {
        g.pod.add(r);
      } else {
        g.others.computeIfAbsent(r.network(), k -> new ArrayList<>()).add(r);
      }
    }
    return g;
  }

  /** Rows split into the pod network's and every other network's, in report order. */
  private static final class Grouped {
    final List<Row> pod = new ArrayList<>();
    final Map<Network, List<Row>> others = new TreeMap<>();

    boolean hasNetworkSections() {
      return !others.isEmpty();
    }

    void sections(java.util.function.BiConsumer<String, List<Row>> section) {
      others.forEach((n, rows) -> section.accept(header(n), rows));
    }

    private static String header(Network n) {
      return switch (n.kind()) {
        case PRIMARY_UDN -> "primary UDN " + n.name();
        case PRIMARY_CUDN -> "primary CUDN " + n.name();
        case SECONDARY_NAD -> "secondary NAD " + n.name();
        case POD_NETWORK -> "Pod network";
      };
    }
  }
}
