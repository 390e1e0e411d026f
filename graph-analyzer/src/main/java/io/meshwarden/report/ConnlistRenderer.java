package io.meshwarden.report;

import io.meshwarden.connectivity.Connection;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.Focus;
import io.meshwarden.connectivity.Peer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Renders a connectivity list. The {@code txt} form is line-for-line np-guard netpol-analyzer's
 * {@code list} output, so the two tools can be diffed.
 */
public final class ConnlistRenderer {
  private ConnlistRenderer() {}

  /** Renders connections (already sorted) in the given format; text ends with a newline if non-empty. */
  public static String render(List<Connection> connections, ConnlistFormat format) {
    return switch (format) {
      case TXT -> txt(connections);
      case JSON -> json(connections, false);
      case CSV -> csv(connections, false);
      case MD -> md(connections, false);
      case DOT -> dot(connections);
    };
  }

  /**
   * Renders connections (already sorted) of an analysis that may span several networks: with
   * multi-network analysis, txt is split into per-network sections followed by each workload's
   * networks, and the tabular forms name every connection's network.
   */
  public static String render(List<Connection> connections, ConnlistFormat format, Connectivity connectivity) {
    if (!connectivity.multiNetwork()) {
      return render(connections, format);
    }
    return switch (format) {
      case TXT -> NetworkSections.txt(connections, connectivity.workloadNetworks());
      case JSON -> json(connections, true);
      case CSV -> csv(connections, true);
      case MD -> md(connections, true);
      case DOT -> dot(connections);
    };
  }

  /** {@link #renderFocusConnection(List, Focus.FocusConnection)}, in per-network sections when there are several. */
  public static String renderFocusConnection(List<Connection> connections, Focus.FocusConnection focus,
      Connectivity connectivity) {
    return connectivity.multiNetwork() ? NetworkSections.focusConnection(connections, focus)
        : renderFocusConnection(connections, focus);
  }

  /**
   * Renders the list of connections that carry one port, np-guard's {@code --focusconn} form:
   * a header and {@code src => dst} lines.
   */
  public static String renderFocusConnection(List<Connection> connections, Focus.FocusConnection focus) {
    StringBuilder sb = new StringBuilder("Permitted connections on ").append(focus).append(":\n");
    for (Connection c : connections) {
      sb.append(c.src().displayName()).append(" => ").append(c.dst().displayName()).append('\n');
    }
    return sb.toString();
  }

  static String line(Connection c) {
    return c.src().displayName() + " => " + c.dst().displayName() + " : " + c.allowed();
  }

  private static String txt(List<Connection> connections) {
    StringBuilder sb = new StringBuilder();
    for (Connection c : connections) {
      sb.append(line(c)).append('\n');
    }
    return sb.toString();
  }

  /** Rows as the tabular forms print them; with networks, peers carry their UDN marks. */
  private static List<NetworkSections.Row> rows(List<Connection> connections, boolean networks) {
    if (networks) {
      return NetworkSections.rows(connections);
    }
    return connections.stream().map(c -> new NetworkSections.Row(c.src().displayName(), c.dst().displayName(),
        c.allowed().toString(), c.network())).toList();
  }

  private static String json(List<Connection> connections, boolean networks) {
    if (connections.isEmpty()) {
      return "[]\n";
    }
    List<NetworkSections.Row> rows = rows(connections, networks);
    StringBuilder sb = new StringBuilder("[\n");
    for (int i = 0; i < rows.size(); i++) {
      NetworkSections.Row r = rows.get(i);
      sb.append("  {\n    \"src\": ").append(Text.json(r.src()))
          .append(",\n    \"dst\": ").append(Text.json(r.dst()))
          .append(",\n    \"conn\": ").append(Text.json(r.conn()))
          .append("\n  }").append(i + 1 < rows.size() ? ",\n" : "\n");
    }
    return sb.append("]\n").toString();
  }

  private static String csv(List<Connection> connections, boolean networks) {
    StringBuilder sb = new StringBuilder(networks ? "src,dst,conn,network\n" : "src,dst,conn\n");
    for (NetworkSections.Row r : rows(connections, networks)) {
      sb.append(Text.csv(r.src())).append(',').append(Text.csv(r.dst())).append(',').append(Text.csv(r.conn()));
      if (networks) {
        sb.append(',').append(Text.csv(r.network().name()));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String md(List<Connection> connections, boolean networks) {
    StringBuilder sb = new StringBuilder(networks ? "| src | dst | conn | network | \n|-----|-----|------|------|\n"
        : "| src | dst | conn |\n|-----|-----|------|\n");
    for (NetworkSections.Row r : rows(connections, networks)) {
      sb.append("| ").append(r.src()).append(" | ").append(r.dst()).append(" | ").append(r.conn());
      sb.append(networks ? " | " + r.network().name() + " | \n" : " |\n");
    }
    return sb.toString();
  }

  /** Graphviz, one cluster per namespace, external peers and the ingress controller outside. */
  private static String dot(List<Connection> connections) {
    Map<String, TreeSet<String>> byNamespace = new TreeMap<>();
    TreeSet<String> outside = new TreeSet<>();
    for (Connection c : connections) {
      for (Peer p : List.of(c.src(), c.dst())) {
        if (p instanceof Peer.WorkloadPeer w) {
          byNamespace.computeIfAbsent(w.workload().namespace(), k -> new TreeSet<>()).add(p.displayName());
        } else {
          outside.add(p.displayName());
        }
      }
    }
    StringBuilder sb = new StringBuilder("digraph {\n");
    for (Map.Entry<String, TreeSet<String>> e : byNamespace.entrySet()) {
      sb.append("\tsubgraph ").append(Text.dot("cluster_" + e.getKey() + "[namespace]")).append(" {\n")
          .append("\t\tcolor=\"black\"\n\t\tfontcolor=\"black\"\n");
      for (String node : e.getValue()) {
        String label = node.substring(node.indexOf('/') + 1);
        sb.append("\t\t").append(Text.dot(node)).append(" [label=").append(Text.dot(label))
            .append(" color=\"blue\" fontcolor=\"blue\"]\n");
      }
      sb.append("\t\tlabel=").append(Text.dot(e.getKey() + "[namespace]")).append("\n\t}\n");
    }
    for (String node : outside) {
      sb.append('\t').append(Text.dot(node)).append(" [label=").append(Text.dot(node))
          .append(" color=\"red2\" fontcolor=\"red2\"]\n");
    }
    for (Connection c : connections) {
      sb.append('\t').append(Text.dot(c.src().displayName())).append(" -> ").append(Text.dot(c.dst().displayName()))
          .append(" [label=").append(Text.dot(c.allowed().toString()))
          .append(" color=\"gold2\" fontcolor=\"darkgreen\"]\n");
    }
    return sb.append("}\n").toString();
  }
}
