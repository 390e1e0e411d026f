package io.meshwarden.report;

import io.meshwarden.connectivity.Connection;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.Focus;
import io.meshwarden.connectivity.Peer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a connectivity list. The {@code txt} form is line-for-line np-guard netpol-analyzer's
 * {@code list} output, so the two tools can be diffed.
 */
public final class ConnlistRenderer {
  private ConnlistRenderer() {}

  /** Renders connections (already sorted) in the given format; text ends with a newline if non-empty. */
  public static String render(List<Connection> connections, ConnlistFormat format) {
    return write(connections, format, null);
  }

  /** The same bytes {@link ConnlistWriter} streams, for a list already in memory. */
  private static String write(List<Connection> connections, ConnlistFormat format, Focus.FocusConnection focus) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConnlistWriter w = new ConnlistWriter(format, focus, bytes);
    Map<Peer, Boolean> nodes = new LinkedHashMap<>();
    if (format == ConnlistFormat.DOT && focus == null) {
      connections.forEach(c -> {
        nodes.put(c.src(), true);
        nodes.put(c.dst(), true);
      });
    }
    w.begin(nodes.keySet());
    connections.forEach(c -> w.row(c.src(), c.dst(), c.allowed()));
    try {
      w.end();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory", e);
    }
    return bytes.toString(StandardCharsets.UTF_8);
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
      case DOT -> render(connections, ConnlistFormat.DOT);
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
    return write(connections, ConnlistFormat.TXT, focus);
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
}
