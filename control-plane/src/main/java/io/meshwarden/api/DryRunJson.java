package io.meshwarden.api;

import io.meshwarden.finding.Finding;
import io.meshwarden.verdict.DryRunReport;
import io.meshwarden.verdict.Names;
import io.meshwarden.verdict.Sample;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/namespaces/{ns}/dryrun}: the live dry-run as JSON, flows grouped by
 * destination workload, then by deciding rule (policy and reason). Workloads are named as in the
 * graph and findings APIs ({@code ns/name[Kind]}); findings use the keys of {@code analyze -o json}.
 * Stateless.
 */
final class DryRunJson {
  private DryRunJson() {}

  static JsonObject render(DryRunReport r) {
    JsonObject o = new JsonObject()
        .put("namespace", r.namespace())
        .put("mode", r.mode().label())
        .put("proposalVersion", r.proposalVersion())
        .put("approvedVersion", r.approvedVersion())
        .put("window", new JsonObject().put("start", text(r.windowStart())).put("end", text(r.at())))
        .put("wouldDeny", layer(r.proposalVersion() == null ? null : r.proposalVersion(), r.wouldDeny()))
        .put("drift", r.approvedVersion() == null ? null : layer(r.approvedVersion(), r.drift()))
        .put("undecided", r.undecided());
    JsonArray versions = new JsonArray();
    for (DryRunReport.Version v : r.versions()) {
      versions.add(new JsonObject().put("layer", v.layer()).put("version", v.version()).put("judged", v.judged())
          .put("denied", v.denied()).put("disagreements", v.disagreements()).put("firstSeen", text(v.firstSeen()))
          .put("lastSeen", text(v.lastSeen())));
    }
    o.put("versions", versions);
    JsonArray findings = new JsonArray();
    r.findings().forEach(f -> findings.add(finding(f)));
    return o.put("findings", findings);
  }

  private static JsonObject layer(String version, List<DryRunReport.Flow> flows) {
    Map<String, Map<String, List<DryRunReport.Flow>>> grouped = new LinkedHashMap<>();
    for (DryRunReport.Flow f : flows) {
      grouped.computeIfAbsent(f.destination(), k -> new LinkedHashMap<>())
          .computeIfAbsent(f.policy() + "\n" + f.reason(), k -> new java.util.ArrayList<>()).add(f);
    }
    JsonArray destinations = new JsonArray();
    long total = 0;
    for (Map.Entry<String, Map<String, List<DryRunReport.Flow>>> d : grouped.entrySet()) {
      JsonArray rules = new JsonArray();
      long destinationTotal = 0;
      for (List<DryRunReport.Flow> group : d.getValue().values()) {
        JsonArray fs = new JsonArray();
        long ruleTotal = 0;
        for (DryRunReport.Flow f : group) {
          fs.add(flow(f));
          ruleTotal += f.count();
        }
        rules.add(new JsonObject().put("policy", group.get(0).policy()).put("reason", group.get(0).reason())
            .put("total", ruleTotal).put("flows", fs));
        destinationTotal += ruleTotal;
      }
      destinations.add(new JsonObject().put("destination", Names.display(d.getKey())).put("total", destinationTotal)
          .put("rules", rules));
      total += destinationTotal;
    }
    return new JsonObject().put("version", version).put("total", total).put("byDestination", destinations);
  }

  private static JsonObject flow(DryRunReport.Flow f) {
    JsonArray samples = new JsonArray();
    for (Sample s : f.samples()) {
      samples.add(new JsonObject().put("at", text(s.at())).put("sourceAddress", s.sourceAddress())
          .put("principal", s.principal()).put("method", s.method()).put("path", s.path())
          .put("responseCode", s.responseCode()).put("details", s.details()).put("envoyShadow", s.envoyShadow()));
    }
    return new JsonObject().put("peer", Names.display(f.peer())).put("port", f.port()).put("method", f.method())
        .put("path", f.path()).put("count", f.count()).put("firstSeen", text(f.firstSeen()))
        .put("lastSeen", text(f.lastSeen()))
        .put("deniedBy", new JsonObject().put("evaluator", f.byEvaluator()).put("envoy", f.byEnvoy()))
        .put("disagreements", f.disagreements()).put("samples", samples);
  }

  private static JsonObject finding(Finding f) {
    return new JsonObject().put("ruleId", f.rule().id()).put("rule", f.rule().shortName())
        .put("severity", f.severity().lower()).put("title", Names.text(f.title()))
        .put("subject", Names.text(f.subject()))
        .put("location", new JsonObject().put("file", f.origin().file()).put("line", f.origin().line()))
        .put("evidence", new JsonArray(f.evidence().stream().map(Names::text).toList()))
        .put("remediation", f.remediation());
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
