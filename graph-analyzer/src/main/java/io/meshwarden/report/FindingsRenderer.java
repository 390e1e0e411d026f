package io.meshwarden.report;

import io.meshwarden.analysis.AnalysisReport;
import io.meshwarden.finding.Finding;
import io.meshwarden.finding.FindingsEngine;
import io.meshwarden.finding.Rule;
import io.meshwarden.finding.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders an {@link AnalysisReport} as a terminal table, JSON (schema in docs/report-schema.md),
 * Markdown, or SARIF 2.1.0 whose results point at manifest file and line.
 */
public final class FindingsRenderer {
  /** Report formats, named as on the command line. */
  public enum Format {
    TABLE,
    JSON,
    MD,
    SARIF,
    HTML;

    public static Format parse(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown report format \"" + s + "\" (want table, json, md, sarif or html)");
      }
    }
  }

  private FindingsRenderer() {}

  /**
   * @param color ANSI colours, for a terminal only
   * @param graphJson Cytoscape elements for the HTML report's graph (ignored by other formats)
   */
  public static String render(AnalysisReport r, Format format, boolean color, String graphJson) {
    return switch (format) {
      case TABLE -> table(r, color);
      case JSON -> json(r);
      case MD -> markdown(r);
      case SARIF -> sarif(r, Path.of("").toAbsolutePath());
      case HTML -> HtmlReport.render(r, graphJson);
    };
  }

  private static String table(AnalysisReport r, boolean color) {
    StringBuilder sb = new StringBuilder();
    AnalysisReport.Summary s = r.summary();
    sb.append(count(s.workloads(), "workload")).append(" in ").append(count(s.namespaces(), "namespace")).append(", ")
        .append(count(s.networkPolicies(), "NetworkPolicy", "NetworkPolicies")).append(", ")
        .append(count(s.adminNetworkPolicies(), "AdminNetworkPolicy", "AdminNetworkPolicies")).append(", ")
        .append(count(s.clusterNetworkPolicies(), "ClusterNetworkPolicy", "ClusterNetworkPolicies")).append("; ")
        .append(count(s.flowsRead(), "flow")).append(" read (").append(s.badFlowRecords()).append(" bad), ")
        .append(count(s.observedEdges(), "observed edge")).append("; graph ").append(count(s.graphNodes(), "node"))
        .append(", ").append(count(s.graphEdges(), "edge")).append("\n\n");
    if (r.findings().isEmpty()) {
      return sb.append("No findings.\n").toString();
    }
    int subjectWidth = Math.min(48, r.findings().stream().mapToInt(f -> Text.workloadNames(f.subject()).length())
        .max().orElse(10));
    sb.append(String.format("%-8s  %-5s  %-" + subjectWidth + "s  %s%n", "SEVERITY", "RULE", "SUBJECT", "FINDING"));
    for (Finding f : r.findings()) {
      String sev = String.format("%-8s", f.severity().name());
      if (color) {
        sev = ansi(f.severity()) + sev + "\u001b[0m";
      }
      // A long subject wraps within its column rather than losing its end, which is the name.
      String subject = Text.workloadNames(f.subject());
      sb.append(sev).append("  ").append(String.format("%-5s  %-" + subjectWidth + "s  ", f.rule().id(),
          subject.substring(0, Math.min(subjectWidth, subject.length())))).append(Text.workloadNames(f.title()))
          .append('\n');
      for (int at = subjectWidth; at < subject.length(); at += subjectWidth) {
        sb.append(" ".repeat(17)).append(subject, at, Math.min(subject.length(), at + subjectWidth)).append('\n');
      }
      if (f.origin().line() > 0 || !f.origin().file().startsWith("<")) {
        sb.append(" ".repeat(17 + subjectWidth)).append("at ").append(f.origin()).append('\n');
      }
    }
    sb.append('\n');
    r.countsBySeverity().entrySet().stream().filter(e -> e.getValue() > 0)
        .sorted((a, b) -> b.getKey().compareTo(a.getKey()))
        .forEach(e -> sb.append(e.getValue()).append(' ').append(e.getKey().lower()).append("  "));
    return sb.append('\n').toString();
  }

  private static String ansi(Severity s) {
    return switch (s) {
      case CRITICAL -> "\u001b[1;35m";
      case HIGH -> "\u001b[1;31m";
      case MEDIUM -> "\u001b[33m";
      case LOW -> "\u001b[36m";
      case INFO -> "\u001b[2m";
    };
  }

  static String json(AnalysisReport r) {
    StringBuilder sb = new StringBuilder("{\n  \"schemaVersion\": \"2\",\n  \"tool\": {\"name\": \"meshwarden\", \"version\": ")
        .append(Text.json(r.toolVersion())).append("},\n  \"summary\": {\n");
    AnalysisReport.Summary s = r.summary();
    sb.append("    \"workloads\": ").append(s.workloads()).append(",\n    \"namespaces\": ").append(s.namespaces())
        .append(",\n    \"networkPolicies\": ").append(s.networkPolicies())
        .append(",\n    \"adminNetworkPolicies\": ").append(s.adminNetworkPolicies())
        .append(",\n    \"clusterNetworkPolicies\": ").append(s.clusterNetworkPolicies())
        .append(",\n    \"sensitiveWorkloads\": ").append(s.sensitiveWorkloads())
        .append(",\n    \"flowsRead\": ").append(s.flowsRead()).append(",\n    \"badFlowRecords\": ")
        .append(s.badFlowRecords()).append(",\n    \"observedEdges\": ").append(s.observedEdges())
        .append(",\n    \"unresolvedFlows\": {");
    boolean first = true;
    for (Map.Entry<String, Long> e : new java.util.TreeMap<>(s.unresolvedFlows()).entrySet()) {
      sb.append(first ? "" : ", ").append(Text.json(e.getKey())).append(": ").append(e.getValue());
      first = false;
    }
    sb.append("},\n    \"graph\": {\"nodes\": ").append(s.graphNodes()).append(", \"edges\": ").append(s.graphEdges())
        .append("},\n    \"findings\": {");
    first = true;
    for (Map.Entry<Severity, Integer> e : r.countsBySeverity().entrySet()) {
      sb.append(first ? "" : ", ").append(Text.json(e.getKey().lower())).append(": ").append(e.getValue());
      first = false;
    }
    sb.append("}\n  },\n  \"findings\": [");
    first = true;
    for (Finding f : r.findings()) {
      sb.append(first ? "\n" : ",\n").append("    {\"ruleId\": ").append(Text.json(f.rule().id()))
          .append(", \"rule\": ").append(Text.json(f.rule().shortName()))
          .append(", \"severity\": ").append(Text.json(f.severity().lower()))
          .append(",\n     \"title\": ").append(Text.json(Text.workloadNames(f.title())))
          .append(",\n     \"subject\": ").append(Text.json(Text.workloadNames(f.subject())))
          .append(",\n     \"location\": {\"file\": ").append(Text.json(f.origin().file())).append(", \"line\": ")
          .append(f.origin().line()).append("},\n     \"evidence\": [");
      for (int i = 0; i < f.evidence().size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(Text.json(Text.workloadNames(f.evidence().get(i))));
      }
      sb.append("],\n     \"remediation\": ").append(Text.json(f.remediation()));
      if (f.locus() != null) {
        sb.append(",\n     \"policyRule\": ").append(Text.json(f.locus()));
      }
      if (!f.alsoRules().isEmpty()) {
        sb.append(",\n     \"alsoRuleIds\": [");
        for (int i = 0; i < f.alsoRules().size(); i++) {
          sb.append(i == 0 ? "" : ", ").append(Text.json(f.alsoRules().get(i).id()));
        }
        sb.append(']');
      }
      sb.append('}');
      first = false;
    }
    sb.append(first ? "]" : "\n  ]").append(",\n  \"diagnostics\": [");
    for (int i = 0; i < r.diagnostics().size(); i++) {
      sb.append(i == 0 ? "\n    " : ",\n    ").append(Text.json(r.diagnostics().get(i)));
    }
    return sb.append(r.diagnostics().isEmpty() ? "]\n}\n" : "\n  ]\n}\n").toString();
  }

  private static String markdown(AnalysisReport r) {
    StringBuilder sb = new StringBuilder("# meshwarden analysis\n\n");
    AnalysisReport.Summary s = r.summary();
    sb.append("| | |\n|---|---:|\n| workloads | ").append(s.workloads()).append(" |\n| namespaces | ")
        .append(s.namespaces()).append(" |\n| NetworkPolicies | ").append(s.networkPolicies())
        .append(" |\n| AdminNetworkPolicies | ").append(s.adminNetworkPolicies())
        .append(" |\n| ClusterNetworkPolicies | ").append(s.clusterNetworkPolicies())
        .append(" |\n| flows read | ").append(s.flowsRead()).append(" |\n| bad flow records | ")
        .append(s.badFlowRecords()).append(" |\n| observed edges | ").append(s.observedEdges()).append(" |\n\n");
    sb.append("## Findings\n\n");
    if (r.findings().isEmpty()) {
      return sb.append("None.\n").toString();
    }
    sb.append("| severity | rule | subject | finding | location |\n|---|---|---|---|---|\n");
    for (Finding f : r.findings()) {
      sb.append("| ").append(f.severity().lower()).append(" | ").append(f.rule().id()).append(' ')
          .append(f.rule().shortName()).append(" | ").append(md(Text.workloadNames(f.subject()))).append(" | ").append(md(Text.workloadNames(f.title())))
          .append(" | ").append(md(f.origin().toString())).append(" |\n");
    }
    sb.append('\n');
    for (Finding f : r.findings()) {
      sb.append("### ").append(f.rule().id()).append(' ').append(md(Text.workloadNames(f.title()))).append("\n\n")
          .append("*").append(f.severity().lower()).append("* — ").append(md(f.origin().toString())).append("\n\n");
      f.evidence().forEach(e -> sb.append("- ").append(md(Text.workloadNames(e))).append('\n'));
      sb.append("\n**Remediation:** ").append(md(f.remediation())).append("\n\n");
    }
    return sb.toString();
  }

  private static String md(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }

  /**
   * SARIF 2.1.0; levels: critical and high are errors, medium warnings, low and info notes.
   * Manifests under {@code sourceRoot} are named relative to {@code %SRCROOT%}, which the run maps
   * to that directory, so code scanning resolves them against the checkout wherever it ran; others
   * by absolute file URI.
   */
  public static String sarif(AnalysisReport r, Path sourceRoot) {
    Path root = sourceRoot.toAbsolutePath().normalize();
    StringBuilder sb = new StringBuilder("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n")
        .append("  \"version\": \"2.1.0\",\n  \"runs\": [{\n")
        .append("    \"originalUriBaseIds\": {\"").append(SRCROOT).append("\": {\"uri\": ")
        .append(Text.json(root.toUri().toString())).append("}},\n")
        .append("    \"tool\": {\"driver\": {\"name\": \"meshwarden\",")
        .append(" \"version\": ").append(Text.json(r.toolVersion()))
        .append(", \"informationUri\": \"https://github.com/meshwarden/meshwarden\", \"rules\": [");
    List<Rule> rules = FindingsEngine.rules();
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      sb.append(i == 0 ? "\n" : ",\n").append("      {\"id\": ").append(Text.json(rule.id())).append(", \"name\": ")
          .append(Text.json(rule.shortName())).append(", \"shortDescription\": {\"text\": ")
          .append(Text.json(rule.description())).append("}}");
    }
    sb.append("\n    ]}},\n");
    notifications(sb, r.diagnostics(), root);
    sb.append("    \"results\": [");
    boolean first = true;
    for (Finding f : r.findings()) {
      sb.append(first ? "\n" : ",\n").append("      {\"ruleId\": ").append(Text.json(f.rule().id()))
          .append(", \"ruleIndex\": ").append(f.rule().ordinal())
          .append(", \"level\": ").append(Text.json(level(f.severity())))
          .append(",\n       \"message\": {\"text\": ").append(Text.json(Text.workloadNames(f.title() + ". " + f.remediation()))).append('}');
      if (!f.origin().file().startsWith("<")) {
        sb.append(",\n       \"locations\": [{\"physicalLocation\": {\"artifactLocation\": ")
            .append(artifact(f.origin().file(), root))
            .append(f.origin().line() > 0 ? ", \"region\": {\"startLine\": " + f.origin().line() + "}" : "")
            .append("}}]");
      }
      sb.append(",\n       \"properties\": {\"severity\": ").append(Text.json(f.severity().lower()))
          .append(", \"subject\": ").append(Text.json(Text.workloadNames(f.subject()))).append(", \"evidence\": [");
      for (int i = 0; i < f.evidence().size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(Text.json(Text.workloadNames(f.evidence().get(i))));
      }
      sb.append("]}}");
      first = false;
    }
    return sb.append(first ? "]\n  }]\n}\n" : "\n    ]\n  }]\n}\n").toString();
  }

  /**
   * Diagnostics as SARIF's tool execution notifications: what the run could not take as written
   * (code as the descriptor id, level, message, and the manifest line when there is one).
   */
  private static void notifications(StringBuilder sb, List<io.meshwarden.model.Diagnostic> diagnostics, Path root) {
    sb.append("    \"invocations\": [{\"executionSuccessful\": true, \"toolExecutionNotifications\": [");
    for (int i = 0; i < diagnostics.size(); i++) {
      io.meshwarden.model.Diagnostic d = diagnostics.get(i);
      sb.append(i == 0 ? "\n" : ",\n").append("      {\"descriptor\": {\"id\": ").append(Text.json(d.code()))
          .append("}, \"level\": ").append(Text.json(switch (d.severity()) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "note";
          })).append(", \"message\": {\"text\": ").append(Text.json(Text.workloadNames(d.message()))).append('}');
      if (d.located() && !d.origin().file().startsWith("<")) {
        sb.append(", \"locations\": [{\"physicalLocation\": {\"artifactLocation\": ")
            .append(artifact(d.origin().file(), root))
            .append(d.origin().line() > 0 ? ", \"region\": {\"startLine\": " + d.origin().line() + "}" : "")
            .append("}}]");
      }
      sb.append('}');
    }
    sb.append(diagnostics.isEmpty() ? "]}],\n" : "\n    ]}],\n");
  }

  private static String level(Severity s) {
    return switch (s) {
      case CRITICAL, HIGH -> "error";
      case MEDIUM -> "warning";
      case LOW, INFO -> "note";
    };
  }

  private static final String SRCROOT = "%SRCROOT%";

  /** An artifactLocation: relative to {@code %SRCROOT%} when the file is under the root. */
  private static String artifact(String file, Path root) {
    Path abs = Path.of(file).toAbsolutePath().normalize();
    if (!abs.startsWith(root)) {
      return "{\"uri\": " + Text.json(abs.toUri().toString()) + "}";
    }
    String relative = root.toUri().relativize(abs.toUri()).getRawPath();
    return "{\"uri\": " + Text.json(relative) + ", \"uriBaseId\": \"" + SRCROOT + "\"}";
  }

  private static String count(long n, String one) {
    return count(n, one, one + "s");
  }

  private static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
