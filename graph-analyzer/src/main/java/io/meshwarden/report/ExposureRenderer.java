package io.meshwarden.report;

import io.meshwarden.connectivity.Connection;
import io.meshwarden.connectivity.Focus;
import io.meshwarden.exposure.EntryPoint;
import io.meshwarden.exposure.ExposureReport;
import java.util.List;

/**
 * Renders a connectivity list followed by its exposure analysis, line-for-line as np-guard
 * netpol-analyzer's {@code list --exposure} does, so the two tools can be diffed.
 */
public final class ExposureRenderer {
  private ExposureRenderer() {}

  /**
   * Renders in {@code txt} or {@code json}. With a focus connection ({@code focus} non-null) the
   * lists name peers only, as np-guard's {@code --focusconn} output does.
   */
  public static String render(List<Connection> connections, ExposureReport report, ConnlistFormat format,
      Focus.FocusConnection focus) {
    return render(connections, report, format, focus, List.of());
  }

  /**
   * As above, followed by the entry points the manifests declare (LoadBalancer, NodePort, Ingress,
   * Route, hostPort, hostNetwork): a txt section, or an {@code entry_points} JSON member. With none,
   * the output is exactly np-guard's.
   */
  public static String render(List<Connection> connections, ExposureReport report, ConnlistFormat format,
      Focus.FocusConnection focus, List<EntryPoint> entryPoints) {
    return switch (format) {
      case TXT -> txt(connections, report, focus) + EntryPointRenderer.txt(entryPoints);
      case JSON -> {
        String json = json(connections, report, focus);
        if (entryPoints.isEmpty()) {
          yield json;
        }
        // json() closes the top-level object last; reopen it for one more member.
        yield json.substring(0, json.lastIndexOf('}')).stripTrailing() + ",\n  \"entry_points\": "
            + EntryPointRenderer.json(entryPoints, "  ") + "\n}\n";
      }
      default -> throw new IllegalArgumentException("exposure output is available as txt or json, not "
          + format.name().toLowerCase(java.util.Locale.ROOT));
    };
  }

  private static String txt(List<Connection> connections, ExposureReport report, Focus.FocusConnection focus) {
    StringBuilder sb = new StringBuilder(focus != null
        ? ConnlistRenderer.renderFocusConnection(connections, focus)
        : ConnlistRenderer.render(connections, ConnlistFormat.TXT));
    if (sb.length() > 0 && !sb.toString().equals("\n")) {
      sb.append('\n');
    }
    int width = 0;
    for (List<ExposureReport.Item> items : List.of(report.egress(), report.ingress())) {
      for (ExposureReport.Item i : items) {
        width = Math.max(width, i.workloadName().length());
      }
    }
    sb.append("Exposure Analysis Result").append(focus != null ? " On " + focus : "").append(":\n");
    if (!report.egress().isEmpty()) {
      sb.append("Egress Exposure:\n");
      appendLines(sb, report.egress(), "=>", width, focus);
    }
    if (!report.ingress().isEmpty()) {
      sb.append(report.egress().isEmpty() ? "" : "\n").append("Ingress Exposure:\n");
      appendLines(sb, report.ingress(), "<=", width, focus);
    }
    if (focus == null && !report.unprotected().isEmpty()) {
      sb.append("\nWorkloads not protected by network policies:\n");
      report.unprotected().forEach(u -> sb.append(u).append('\n'));
    }
    return sb.toString();
  }

  private static void appendLines(StringBuilder sb, List<ExposureReport.Item> items, String arrow, int width,
      Focus.FocusConnection focus) {
    for (ExposureReport.Item i : items) {
      String name = i.workloadName();
      sb.append(name).append(" ".repeat(width - name.length())).append(" \t").append(arrow).append(" \t")
          .append(i.peerName());
      if (focus == null) {
        sb.append(" : ").append(i.connection());
      }
      sb.append('\n');
    }
  }

  /** np-guard's JSON shape; lists without entries are {@code null}, as Go marshals them. */
  private static String json(List<Connection> connections, ExposureReport report, Focus.FocusConnection focus) {
    boolean withConn = focus == null;
    StringBuilder sb = new StringBuilder("{\n  \"").append(withConn ? "connlist_results" : "connlist_conn_focus_results")
        .append("\": ");
    if (connections.isEmpty()) {
      sb.append("[]");
    } else {
      sb.append("[\n");
      for (int i = 0; i < connections.size(); i++) {
        Connection c = connections.get(i);
        appendObject(sb, c.src().displayName(), c.dst().displayName(), withConn ? c.allowed().toString() : null,
            "      ");
        sb.append(i + 1 < connections.size() ? ",\n" : "\n");
      }
      sb.append("  ]");
    }
    sb.append(",\n  \"").append(withConn ? "exposure_results" : "exposure_conn_focus_results").append("\": {\n");
    sb.append("    \"egress_exposure\": ");
    appendItems(sb, report.egress(), false, withConn);
    sb.append(",\n    \"ingress_exposure\": ");
    appendItems(sb, report.ingress(), true, withConn);
    return sb.append("\n  }\n}\n").toString();
  }

  private static void appendItems(StringBuilder sb, List<ExposureReport.Item> items, boolean ingress, boolean withConn) {
    if (items.isEmpty()) {
      sb.append("null");
      return;
    }
    sb.append("[\n");
    for (int i = 0; i < items.size(); i++) {
      ExposureReport.Item item = items.get(i);
      String src = ingress ? item.peerName() : item.workloadName();
      String dst = ingress ? item.workloadName() : item.peerName();
      appendObject(sb, src, dst, withConn ? item.connection().toString() : null, "        ");
      sb.append(i + 1 < items.size() ? ",\n" : "\n");
    }
    sb.append("    ]");
  }

  private static void appendObject(StringBuilder sb, String src, String dst, String conn, String indent) {
    String close = indent.substring(2);
    sb.append(close).append("{\n").append(indent).append("\"src\": ").append(Text.json(src)).append(",\n")
        .append(indent).append("\"dst\": ").append(Text.json(dst));
    if (conn != null) {
      sb.append(",\n").append(indent).append("\"conn\": ").append(Text.json(conn));
    }
    sb.append('\n').append(close).append('}');
  }
}
