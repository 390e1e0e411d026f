package io.meshwarden.report;

import io.meshwarden.analysis.AnalysisReport;
import io.meshwarden.finding.Finding;
import java.util.Map;

/**
 * A single self-contained HTML file: summary, findings, and the communication graph drawn as SVG
 * by a few lines of inline script (no CDN, no external assets), so it can be mailed or archived
 * as a CI artifact. Each namespace is a circle of its workloads; clicking a node focuses its edges.
 */
final class HtmlReport {
  private HtmlReport() {}

  static String render(AnalysisReport r, String graphJson) {
    StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>meshwarden analysis</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse}")
        .append("td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}")
        .append(".critical{color:#a0c}.high{color:#c00}.medium{color:#b60}.low{color:#06a}.info{color:#666}")
        .append("details{margin:.2em 0}#graph{border:1px solid #ccc;overflow:auto;max-height:80vh}")
        .append("svg text{font-size:11px}.legend span{margin-right:1em}</style></head><body>\n")
        .append("<h1>meshwarden analysis</h1>\n<table id=\"summary\">");
    AnalysisReport.Summary s = r.summary();
    row(sb, "workloads", s.workloads());
    row(sb, "namespaces", s.namespaces());
    row(sb, "NetworkPolicies", s.networkPolicies());
    row(sb, "AdminNetworkPolicies", s.adminNetworkPolicies());
    row(sb, "ClusterNetworkPolicies", s.clusterNetworkPolicies());
    row(sb, "flows read", s.flowsRead());
    row(sb, "bad flow records", s.badFlowRecords());
    row(sb, "observed edges", s.observedEdges());
    row(sb, "graph nodes / edges", s.graphNodes() + " / " + s.graphEdges());
    sb.append("</table>\n<h2>Findings (").append(r.findings().size()).append(")</h2>\n<p>");
    for (Map.Entry<io.meshwarden.finding.Severity, Integer> e : r.countsBySeverity().entrySet()) {
      sb.append("<span class=\"").append(e.getKey().lower()).append("\">").append(e.getValue()).append(' ')
          .append(e.getKey().lower()).append("</span> ");
    }
    sb.append("</p>\n<table id=\"findings\"><tr><th>severity</th><th>rule</th><th>finding</th><th>location</th></tr>\n");
    for (Finding f : r.findings()) {
      sb.append("<tr><td class=\"").append(f.severity().lower()).append("\">").append(f.severity().lower())
          .append("</td><td>").append(f.rule().id()).append(' ').append(esc(f.rule().shortName())).append("</td><td>")
          .append("<details><summary>").append(esc(Text.workloadNames(f.title()))).append("</summary><ul>");
      f.evidence().forEach(e -> sb.append("<li>").append(esc(Text.workloadNames(e))).append("</li>"));
      sb.append("</ul><p><b>Remediation:</b> ").append(esc(f.remediation())).append("</p></details></td><td>")
          .append(esc(f.origin().toString())).append("</td></tr>\n");
    }
    sb.append("</table>\n<h2>Communication graph</h2>\n<p class=\"legend\"><span style=\"color:#2a2\">■ allowed+observed"
        + "</span><span style=\"color:#d22\">■ observed, not allowed</span><span style=\"color:#aaa\">■ allowed, unused"
        + "</span>click a node to focus it</p>\n<div id=\"graph\"></div>\n<script id=\"elements\" type=\"application/json\">")
        .append(graphJson.replace("</", "<\\/")).append("</script>\n<script>\n").append(SCRIPT).append("</script>\n</body></html>\n");
    return sb.toString();
  }

  private static void row(StringBuilder sb, String k, Object v) {
    sb.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(String.valueOf(v))).append("</td></tr>");
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static final String SCRIPT = """
      (function () {
        var el = JSON.parse(document.getElementById('elements').textContent).elements;
        var groups = {}, order = [], pos = {};
        el.nodes.forEach(function (n) {
          if (n.data.type === 'NAMESPACE') return;
          var g = n.data.parent || '(outside)';
          if (!groups[g]) { groups[g] = []; order.push(g); }
          groups[g].push(n.data);
        });
        order.sort(function (a, b) { return a === '(outside)' ? -1 : b === '(outside)' ? 1 : a < b ? -1 : 1; });
        // Each namespace is a circle of its workloads, side by side; outside peers form a column.
        var x = 40, height = 0;
        order.forEach(function (g) {
          var items = groups[g];
          if (g === '(outside)') {
            items.forEach(function (d, j) { pos[d.id] = {x: x + 10, y: 70 + j * 24, d: d}; });
            x += 200;
            height = Math.max(height, 90 + items.length * 24);
            return;
          }
          var r = Math.max(90, items.length * 16), cx = x + r + 20, cy = 60 + r;
          items.forEach(function (d, j) {
            var a = 2 * Math.PI * j / items.length - Math.PI / 2;
            pos[d.id] = {x: cx + r * Math.cos(a), y: cy + r * Math.sin(a), d: d, cx: cx, g: g};
          });
          groups[g].center = {x: cx, y: 30};
          x = cx + r + 200;
          height = Math.max(height, cy + r + 60);
        });
        var NS = 'http://www.w3.org/2000/svg';
        var svg = document.createElementNS(NS, 'svg');
        svg.setAttribute('width', x);
        svg.setAttribute('height', height);
        function mk(tag, attrs, text, parent) {
          var e = document.createElementNS(NS, tag);
          for (var k in attrs) e.setAttribute(k, attrs[k]);
          if (text) e.textContent = text;
          (parent || svg).appendChild(e);
          return e;
        }
        var defs = mk('defs', {});
        [['a', '#2a2'], ['o', '#d22'], ['u', '#bbb']].forEach(function (m) {
          var mark = mk('marker', {id: 'arrow-' + m[0], viewBox: '0 0 10 10', refX: 14, refY: 5,
            markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse'}, null, defs);
          mk('path', {d: 'M 0 0 L 10 5 L 0 10 z', fill: m[1]}, null, mark);
        });
        order.forEach(function (g) {
          var c = groups[g].center;
          mk('text', {x: c ? c.x : 40, y: c ? c.y : 40, 'font-weight': 'bold', 'text-anchor': c ? 'middle' : 'start'},
            g.replace(/^ns:/, ''));
        });
        var edges = el.edges.map(function (e) {
          var a = pos[e.data.source], b = pos[e.data.target];
          if (!a || !b || e.data.tag === 'denied') return null;
          var kind = e.data.tag === 'allowed+observed' ? 'a' : e.data.tag === 'observed' ? 'o' : 'u';
          var color = kind === 'a' ? '#2a2' : kind === 'o' ? '#d22' : '#ccc';
          var p = mk('line', {x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: color,
            'stroke-width': kind === 'u' ? 1 : 2, 'marker-end': 'url(#arrow-' + kind + ')'});
          var t = document.createElementNS(NS, 'title');
          t.textContent = e.data.source + ' -> ' + e.data.target + ' [' + e.data.tag + '] allowed: ' + e.data.allowed
            + (e.data.flows ? ', ' + e.data.flows + ' flows' : '') + (e.data.decidedBy ? '\\n' + e.data.decidedBy : '');
          p.appendChild(t);
          return {p: p, s: e.data.source, t: e.data.target};
        }).filter(Boolean);
        Object.keys(pos).forEach(function (id) {
          var n = pos[id];
          mk('circle', {cx: n.x, cy: n.y, r: 5, fill: n.d.type === 'WORKLOAD' ? '#369' : '#a00'});
          var left = n.cx !== undefined && n.x < n.cx - 1;
          var t = mk('text', {x: n.x + (left ? -8 : 8), y: n.y + 4, cursor: 'pointer', 'data-id': id,
            'text-anchor': left ? 'end' : 'start', fill: n.d.type === 'WORKLOAD' ? '#222' : '#a00'}, n.d.label);
          t.addEventListener('click', function () {
            edges.forEach(function (e) {
              e.p.style.opacity = (e.s === id || e.t === id) ? 1 : 0.08;
            });
          });
        });
        document.getElementById('graph').appendChild(svg);
      })();
      """;
}
