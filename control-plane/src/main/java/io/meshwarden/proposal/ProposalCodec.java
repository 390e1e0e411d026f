package io.meshwarden.proposal;

import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.Origin;
import io.meshwarden.model.Protocol;
import io.meshwarden.synthesis.Evidence;
import io.meshwarden.synthesis.HttpMatch;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PolicySet;
import io.meshwarden.synthesis.PortRule;
import io.meshwarden.synthesis.Provenance;
import io.meshwarden.synthesis.Scope;
import io.meshwarden.synthesis.WorkloadPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A proposal as JSON, both ways: the stored form (everything, so an approved version can be served
 * again after a restart) and the canonical form its version hashes. Fields are written in a fixed
 * order and maps sorted by key, so the same proposal always gives the same bytes.
 *
 * <p>The version hashes what the sidecars would enforce (peers, ports, requests, scopes) and leaves
 * out the counters that grow with every request (flows, first/last seen, sample edges): with them,
 * every approval would be stale seconds after it was reviewed, while the policy had not changed.
 */
final class ProposalCodec {
  private ProposalCodec() {}

  /** SHA-256 (hex) of the canonical form of {@code policies} in {@code namespace}. */
  static String version(String namespace, PolicySet policies) {
    JsonObject canonical = new JsonObject().put("namespace", namespace).put("trustDomain", policies.trustDomain())
        .put("policies", array(policies.policies(), p -> policy(p, false)));
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical.encode().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  static String encode(Proposal p) {
    Evidence ev = p.policies().evidence();
    JsonObject evidence = new JsonObject().put("firstSeen", instant(ev.firstSeen())).put("lastSeen", instant(ev.lastSeen()))
        .put("flows", ev.flows()).put("sources", new JsonArray(ev.sources())).put("blindSpots", new JsonArray(ev.blindSpots()))
        .put("notEnoughEvidence", array(ev.notEnoughEvidence(),
            u -> new JsonObject().put("workload", u.workloadId()).put("reason", u.reason())))
        .put("warnings", array(ev.warnings(), ProposalCodec::diagnostic));
    return new JsonObject().put("namespace", p.namespace()).put("version", p.version())
        .put("createdAt", p.createdAtMillis()).put("trustDomain", p.policies().trustDomain())
        .put("refusal", p.refusal()).put("notes", new JsonArray(p.notes())).put("evidence", evidence)
        .put("policies", array(p.policies().policies(), w -> policy(w, true))).encode();
  }

  /** The stored form back; a malformed text is an {@link IllegalArgumentException} naming what is wrong. */
  static Proposal decode(String text) {
    try {
      JsonObject o = new JsonObject(text);
      JsonObject ev = o.getJsonObject("evidence");
      Evidence evidence = new Evidence(instant(ev.getString("firstSeen")), instant(ev.getString("lastSeen")),
          ev.getLong("flows"), strings(ev.getJsonArray("sources")), strings(ev.getJsonArray("blindSpots")),
          list(ev.getJsonArray("notEnoughEvidence"), u -> new Evidence.Unobserved(u.getString("workload"),
              u.getString("reason"))), warnings(ev.getJsonArray("warnings")));
      PolicySet set = new PolicySet(o.getString("trustDomain"), list(o.getJsonArray("policies"), ProposalCodec::policy),
          evidence);
      return new Proposal(o.getString("namespace"), o.getString("version"), set, strings(o.getJsonArray("notes")),
          o.getString("refusal"), o.getLong("createdAt"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("stored proposal cannot be read: " + e.getMessage(), e);
    }
  }

  private static JsonObject policy(WorkloadPolicy p, boolean withEvidence) {
    JsonObject o = new JsonObject().put("namespace", p.namespace()).put("workloadId", p.workloadId())
        .put("workloadName", p.workloadName()).put("podLabels", labels(p.podLabels()))
        .put("serviceAccount", p.serviceAccount())
        .put("ingress", array(p.ingress(), r -> rule(r, withEvidence)))
        .put("egress", array(p.egress(), r -> rule(r, withEvidence)))
        .put("ingressScope", scope(p.ingressScope())).put("egressScope", scope(p.egressScope()));
    if (withEvidence) {
      o.put("flowsIn", p.flowsIn()).put("flowsOut", p.flowsOut());
    }
    return o;
  }

  private static WorkloadPolicy policy(JsonObject o) {
    return new WorkloadPolicy(o.getString("namespace"), o.getString("workloadId"), o.getString("workloadName"),
        stringMap(o.getJsonObject("podLabels")), o.getString("serviceAccount"),
        list(o.getJsonArray("ingress"), ProposalCodec::rule), list(o.getJsonArray("egress"), ProposalCodec::rule),
        scope(o.getJsonObject("ingressScope")), scope(o.getJsonObject("egressScope")), o.getLong("flowsIn", 0L),
        o.getLong("flowsOut", 0L));
  }

  private static JsonObject rule(PortRule r, boolean withEvidence) {
    JsonObject o = new JsonObject().put("protocol", r.protocol().name()).put("port", r.port())
        .put("portName", r.portName()).put("peers", array(r.peers(), ProposalCodec::peer))
        .put("http", array(r.http(), m -> new JsonObject().put("method", m.method()).put("path", m.path())
            .put("prefix", m.prefix())));
    if (withEvidence) {
      Provenance p = r.provenance();
      o.put("provenance", new JsonObject().put("reason", p.reason()).put("edges", new JsonArray(p.edges()))
          .put("flows", p.flows()).put("firstSeen", instant(p.firstSeen())).put("lastSeen", instant(p.lastSeen())));
    }
    return o;
  }

  private static PortRule rule(JsonObject o) {
    JsonObject p = o.getJsonObject("provenance");
    Provenance provenance = new Provenance(p.getString("reason"), strings(p.getJsonArray("edges")), p.getLong("flows"),
        instant(p.getString("firstSeen")), instant(p.getString("lastSeen")));
    return new PortRule(Protocol.valueOf(o.getString("protocol")), o.getInteger("port"), o.getString("portName"),
        list(o.getJsonArray("peers"), ProposalCodec::peer), list(o.getJsonArray("http"),
            m -> new HttpMatch(m.getString("method"), m.getString("path"), m.getBoolean("prefix"))), provenance);
  }

  private static JsonObject peer(Peer p) {
    return new JsonObject().put("kind", p.kind().name()).put("namespace", p.namespace())
        .put("podLabels", labels(p.podLabels())).put("principal", p.principal()).put("cidr", p.cidr())
        .put("workloadId", p.workloadId());
  }

  private static Peer peer(JsonObject o) {
    return new Peer(Peer.Kind.valueOf(o.getString("kind")), o.getString("namespace"),
        stringMap(o.getJsonObject("podLabels")), o.getString("principal"), o.getString("cidr"),
        o.getString("workloadId"));
  }

  private static JsonObject scope(Scope s) {
    return new JsonObject().put("extent", s.extent().name())
        .put("ports", array(s.ports(), c -> new JsonObject().put("protocol", c.protocol().name()).put("port", c.port())
            .put("sources", new JsonArray(c.sources()))))
        .put("sources", new JsonArray(s.sources())).put("why", s.why());
  }

  private static Scope scope(JsonObject o) {
    return new Scope(Scope.Extent.valueOf(o.getString("extent")), list(o.getJsonArray("ports"),
        c -> new Scope.CoveredPort(Protocol.valueOf(c.getString("protocol")), c.getInteger("port"),
            strings(c.getJsonArray("sources")))), strings(o.getJsonArray("sources")), o.getString("why"));
  }

  private static JsonObject labels(Map<String, String> labels) {
    JsonObject o = new JsonObject();
    new TreeMap<>(labels).forEach(o::put);
    return o;
  }

  private static Map<String, String> stringMap(JsonObject o) {
    Map<String, String> out = new TreeMap<>();
    o.forEach(e -> out.put(e.getKey(), (String) e.getValue()));
    return out;
  }

  private static <T> JsonArray array(List<T> items, Function<T, JsonObject> f) {
    JsonArray a = new JsonArray();
    items.forEach(i -> a.add(f.apply(i)));
    return a;
  }

  private static <T> List<T> list(JsonArray a, Function<JsonObject, T> f) {
    List<T> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(f.apply(a.getJsonObject(i)));
    }
    return out;
  }

  private static JsonObject diagnostic(Diagnostic d) {
    return new JsonObject().put("code", d.code()).put("severity", d.severity().name()).put("file", d.origin().file())
        .put("line", d.origin().line()).put("message", d.message());
  }

  /**
   * Evidence warnings as stored: values, or the text alone as proposals stored before warnings had
   * codes (the only evidence warning then was the short window's).
   */
  private static List<Diagnostic> warnings(JsonArray a) {
    List<Diagnostic> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      if (a.getValue(i) instanceof String text) {
        out.add(Diagnostic.warning(Evidence.SHORT_WINDOW, text));
        continue;
      }
      JsonObject d = a.getJsonObject(i);
      out.add(new Diagnostic(d.getString("code"), Diagnostic.Severity.valueOf(d.getString("severity")),
          new Origin(d.getString("file"), d.getInteger("line")), d.getString("message")));
    }
    return out;
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(a.getString(i));
    }
    return out;
  }

  private static String instant(Instant i) {
    return i == null ? null : i.toString();
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }
}
