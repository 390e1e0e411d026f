package io.meshwarden.report;

import io.meshwarden.graph.CommunicationGraph;
import io.meshwarden.graph.GraphEdge;
import io.meshwarden.graph.GraphNode;
import io.meshwarden.traffic.ObservedEdge;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Exports the communication graph as DOT, GraphML, or Cytoscape.js elements JSON. */
public final class GraphRenderer {
  /** Export formats, named as on the command line. */
  public enum Format {
    DOT,
    GRAPHML,
    CYTOSCAPE;

    public static Format parse(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown graph format \"" + s + "\" (want dot, graphml or cytoscape)");
      }
    }
  }

  private GraphRenderer() {}

  public static String render(CommunicationGraph g, Format format) {
    return switch (format) {
      case DOT -> dot(g);
      case GRAPHML -> graphml(g);
      case CYTOSCAPE -> cytoscape(g);
    };
  }

  private static String dot(CommunicationGraph g) {
    StringBuilder sb = new StringBuilder("digraph meshwarden {\n\trankdir=LR;\n\tnode [shape=box, fontname=\"Helvetica\"];\n");
    for (Map.Entry<String, List<GraphNode>> ns : g.byNamespace().entrySet()) {
      sb.append("\tsubgraph ").append(Text.dot("cluster_" + ns.getKey())).append(" {\n\t\tlabel=")
          .append(Text.dot(ns.getKey())).append(";\n");
      for (GraphNode n : ns.getValue()) {
        sb.append("\t\t").append(Text.dot(n.id())).append(" [label=").append(Text.dot(n.label())).append("];\n");
      }
      sb.append("\t}\n");
    }
    for (GraphNode n : g.nodes()) {
      if (n.namespace() == null) {
        sb.append('\t').append(Text.dot(n.id())).append(" [label=").append(Text.dot(n.label()))
            .append(", shape=ellipse, color=red];\n");
      }
    }
    for (GraphEdge e : g.edges()) {
      String style = e.isObserved() && e.isAllowed() ? "color=darkgreen"
          : e.isObserved() ? "color=red, penwidth=2"
          : e.isAllowed() ? "color=gray, style=dashed" : "color=orange, style=dotted";
      sb.append('\t').append(Text.dot(e.source())).append(" -> ").append(Text.dot(e.target())).append(" [label=")
          .append(Text.dot(label(e))).append(", ").append(style).append("];\n");
    }
    return sb.append("}\n").toString();
  }

  private static String label(GraphEdge e) {
    StringBuilder sb = new StringBuilder();
    if (e.isL4Allowed()) {
      sb.append("allowed: ").append(e.allowed());
    }
    if (e.authz() != null && e.authz().verdict() != io.meshwarden.authz.Verdict.ALLOWED) {
      sb.append(sb.length() > 0 ? "\\n" : "").append("Istio: ").append(e.authz().verdict());
    }
    if (e.isObserved()) {
      if (sb.length() > 0) {
        sb.append("\\n");
      }
      sb.append("observed: ").append(e.flowCount()).append(" flows");
    }
    return sb.toString();
  }

  private static String graphml(CommunicationGraph g) {
    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n")
        .append("  <key id=\"type\" for=\"node\" attr.name=\"type\" attr.type=\"string\"/>\n")
        .append("  <key id=\"namespace\" for=\"node\" attr.name=\"namespace\" attr.type=\"string\"/>\n")
        .append("  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n")
        .append("  <key id=\"tag\" for=\"edge\" attr.name=\"tag\" attr.type=\"string\"/>\n")
        .append("  <key id=\"allowed\" for=\"edge\" attr.name=\"allowed\" attr.type=\"string\"/>\n")
        .append("  <key id=\"flows\" for=\"edge\" attr.name=\"flows\" attr.type=\"long\"/>\n")
        .append("  <key id=\"verdict\" for=\"edge\" attr.name=\"verdict\" attr.type=\"string\"/>\n")
        .append("  <key id=\"decidedBy\" for=\"edge\" attr.name=\"decidedBy\" attr.type=\"string\"/>\n")
        .append("  <graph id=\"meshwarden\" edgedefault=\"directed\">\n");
    for (GraphNode n : g.nodes()) {
      sb.append("    <node id=\"").append(xml(n.id())).append("\">")
          .append("<data key=\"type\">").append(n.type()).append("</data>")
          .append(n.namespace() == null ? "" : "<data key=\"namespace\">" + xml(n.namespace()) + "</data>")
          .append("<data key=\"label\">").append(xml(n.label())).append("</data></node>\n");
    }
    int i = 0;
    for (GraphEdge e : g.edges()) {
      sb.append("    <edge id=\"e").append(i++).append("\" source=\"").append(xml(e.source())).append("\" target=\"")
          .append(xml(e.target())).append("\"><data key=\"tag\">").append(e.tag()).append("</data>")
          .append("<data key=\"allowed\">").append(xml(e.allowed().toString())).append("</data>")
          .append("<data key=\"flows\">").append(e.flowCount()).append("</data>")
          .append("<data key=\"verdict\">").append(e.verdict()).append("</data>")
          .append("<data key=\"decidedBy\">").append(xml(g.decision(e).decidedBy())).append("</data></edge>\n");
    }
    return sb.append("  </graph>\n</graphml>\n").toString();
  }

  static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** Cytoscape.js {@code elements}: namespaces are compound parent nodes. */
  static String cytoscape(CommunicationGraph g) {
    StringBuilder sb = new StringBuilder("{\"elements\": {\"nodes\": [");
    boolean first = true;
    for (String ns : g.byNamespace().keySet()) {
      sb.append(first ? "\n" : ",\n").append("  {\"data\": {\"id\": ").append(Text.json("ns:" + ns))
          .append(", \"label\": ").append(Text.json(ns)).append(", \"type\": \"NAMESPACE\"}}");
      first = false;
    }
    for (GraphNode n : g.nodes()) {
      sb.append(first ? "\n" : ",\n").append("  {\"data\": {\"id\": ").append(Text.json(n.id()))
          .append(", \"label\": ").append(Text.json(n.label())).append(", \"type\": ").append(Text.json(n.type().name()));
      if (n.namespace() != null) {
        sb.append(", \"parent\": ").append(Text.json("ns:" + n.namespace()));
      }
      sb.append("}}");
      first = false;
    }
    sb.append("\n], \"edges\": [");
    first = true;
    int i = 0;
    for (GraphEdge e : g.edges()) {
      sb.append(first ? "\n" : ",\n").append("  {\"data\": {\"id\": \"e").append(i++).append("\", \"source\": ")
          .append(Text.json(e.source())).append(", \"target\": ").append(Text.json(e.target()))
          .append(", \"tag\": ").append(Text.json(e.tag())).append(", \"allowed\": ")
          .append(Text.json(e.allowed().toString())).append(", \"verdict\": ").append(Text.json(e.verdict().name()))
          .append(", \"decidedBy\": ").append(Text.json(g.decision(e).decidedBy()))
          .append(", \"flows\": ").append(e.flowCount())
          .append(", \"observed\": [");
      boolean firstObs = true;
      for (ObservedEdge o : e.observed()) {
        sb.append(firstObs ? "" : ", ").append("{\"protocol\": ").append(Text.json(o.key().protocol().name()))
            .append(", \"port\": ").append(o.key().port())
            .append(o.key().method() == null ? "" : ", \"method\": " + Text.json(o.key().method()))
            .append(o.key().pathTemplate() == null ? "" : ", \"path\": " + Text.json(o.key().pathTemplate()))
            .append(", \"count\": ").append(o.stats().count()).append('}');
        firstObs = false;
      }
      sb.append("]}}");
      first = false;
    }
    return sb.append("\n]}}\n").toString();
  }
}
