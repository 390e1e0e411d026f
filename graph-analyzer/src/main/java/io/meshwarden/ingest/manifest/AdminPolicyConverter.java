package io.meshwarden.ingest.manifest;

import io.meshwarden.model.AdminNetworkPolicy.Action;
import io.meshwarden.model.AdminNetworkPolicy;
import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.Origin;
import io.meshwarden.model.PolicyPort;
import io.meshwarden.model.PortRef;
import io.meshwarden.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1) from plain
 * maps (fabric8 has no model for them), with the CRD's validation rules.
 */
final class AdminPolicyConverter {
  static final int MAX_PRIORITY = 1000;
  static final int MAX_RULES = 100;

  private AdminPolicyConverter() {}

  static AdminNetworkPolicy convert(Map<String, Object> doc, boolean baseline, Origin origin,
      Consumer<Diagnostic> warn) throws ManifestException {
    String name = Fields.str(Fields.map(doc, "metadata"), "name");
    String kind = baseline ? "BaselineAdminNetworkPolicy" : "AdminNetworkPolicy";
    if (name == null || name.isEmpty()) {
      throw new ManifestException(origin, kind + " without metadata.name");
    }
    String where = kind + " " + name;
    if (baseline && !"default".equals(name)) {
      throw new ManifestException(origin, where
          + ": only one baseline admin network policy with metadata.name=default can be created in the cluster");
    }
    Map<String, Object> spec = Fields.map(doc, "spec");
    if (spec == null) {
      throw new ManifestException(origin, where + ": missing spec");
    }
    int priority = 0;
    if (!baseline) {
      Object p = spec.get("priority");
      if (!Fields.isInteger(p)) {
        throw new ManifestException(Fields.at(spec, "priority", origin), where + ": spec.priority: expected an integer in 0-"
            + MAX_PRIORITY + ", got " + TypedObjects.found(p));
      }
      long value = ((Number) p).longValue();
      if (value < 0 || value > MAX_PRIORITY) {
        throw new ManifestException(Fields.at(spec, "priority", origin), where + ": invalid priority " + value
            + ": priority must be in 0-" + MAX_PRIORITY);
      }
      priority = (int) value;
    }
    AdminNetworkPolicy.Subject subject = subject(Fields.map(spec, "subject"), origin, where + " subject");
    List<AdminNetworkPolicy.Rule> ingress = rules(Fields.list(spec, "ingress"), true, baseline, origin, where, warn);
    List<AdminNetworkPolicy.Rule> egress = rules(Fields.list(spec, "egress"), false, baseline, origin, where, warn);
    return new AdminNetworkPolicy(name, baseline, priority, subject, ingress, egress, origin);
  }

  private static AdminNetworkPolicy.Subject subject(Map<String, Object> s, Origin origin, String where)
      throws ManifestException {
    if (s == null) {
      throw new ManifestException(origin, where + ": missing subject");
    }
    boolean hasNs = Fields.has(s, "namespaces");
    boolean hasPods = Fields.has(s, "pods");
    if (hasNs == hasPods) {
      throw new ManifestException(origin, where + ": exactly one field must be set in a subject");
    }
    return pods(s, hasNs, origin, where);
  }

  private static AdminNetworkPolicy.Subject pods(Map<String, Object> s, boolean namespacesOnly, Origin origin,
      String where) throws ManifestException {
    if (namespacesOnly) {
      LabelSelector ns = Selectors.convert(orEmpty(Fields.map(s, "namespaces")), origin, where + " namespaces");
      return new AdminNetworkPolicy.Subject(ns, null);
    }
    Map<String, Object> pods = orEmpty(Fields.map(s, "pods"));
    LabelSelector ns = Selectors.convert(orEmpty(Fields.map(pods, "namespaceSelector")), origin,
        where + " pods.namespaceSelector");
    LabelSelector pod = Selectors.convert(orEmpty(Fields.map(pods, "podSelector")), origin,
        where + " pods.podSelector");
    return new AdminNetworkPolicy.Subject(ns, pod);
  }

  private static Map<String, Object> orEmpty(Map<String, Object> m) {
    return m == null ? Map.of() : m;
  }

  private static List<AdminNetworkPolicy.Rule> rules(List<Object> raw, boolean ingress, boolean baseline,
      Origin policyOrigin, String where, Consumer<Diagnostic> warn) throws ManifestException {
    List<AdminNetworkPolicy.Rule> out = new ArrayList<>();
    if (raw == null) {
      return out;
    }
    if (raw.size() > MAX_RULES) {
      throw new ManifestException(policyOrigin, where + ": more than " + MAX_RULES + " "
          + (ingress ? "ingress" : "egress") + " rules");
    }
    for (Object r : raw) {
      Origin origin = new Origin(policyOrigin.file(), Fields.line(r, policyOrigin.line()));
      String name = Fields.str(r, "name");
      String ruleWhere = where + (ingress ? " ingress" : " egress") + " rule" + (name == null ? "" : " " + name);
      String actionText = Fields.str(r, "action");
      Action action;
      try {
        action = Action.valueOf(actionText == null ? "" : actionText);
      } catch (IllegalArgumentException e) {
        action = null;
      }
      if (action == null || (baseline && action == Action.Pass)) {
        throw new ManifestException(origin, ruleWhere + ": unrecognized action \"" + actionText + "\" (want "
            + (baseline ? "Allow or Deny" : "Allow, Deny or Pass") + ")");
      }
      String peersField = ingress ? "from" : "to";
      List<Object> peers = Fields.list(r, peersField);
      if (peers == null || peers.isEmpty()) {
        throw new ManifestException(origin, ruleWhere + ": " + peersField
            + " field must be defined and contain at least one item");
      }
      List<AdminNetworkPolicy.Peer> outPeers = new ArrayList<>();
      for (Object p : peers) {
        AdminNetworkPolicy.Peer peer = peer(p, ingress, origin, ruleWhere, warn);
        if (peer != null) {
          outPeers.add(peer);
        }
      }
      List<PolicyPort> ports = new ArrayList<>();
      List<Object> rawPorts = Fields.list(r, "ports");
      if (rawPorts != null) {
        for (Object p : rawPorts) {
          ports.add(port(p, origin, ruleWhere));
        }
      }
      out.add(new AdminNetworkPolicy.Rule(name, action, outPeers, ports));
    }
    return out;
  }

  private static AdminNetworkPolicy.Peer peer(Object p, boolean ingress, Origin origin, String where,
      Consumer<Diagnostic> warn) throws ManifestException {
    int set = 0;
    for (String f : List.of("namespaces", "pods", "networks", "nodes")) {
      if (Fields.has(p, f)) {
        set++;
      }
    }
    if (set != 1 || (ingress && (Fields.has(p, "networks") || Fields.has(p, "nodes")))) {
      throw new ManifestException(origin, where + ": exactly one field must be set in a rule peer"
          + (ingress ? " (namespaces or pods)" : " (namespaces, pods, networks or nodes)"));
    }
    if (Fields.has(p, "nodes")) {
      warn.accept(Diagnostic.warning("nodes-peer", origin, where
          + ": nodes peers are not supported (this peer matches nothing)"));
      return new AdminNetworkPolicy.Peer(null, List.of(),
          Selectors.convert(orEmpty(Fields.map(p, "nodes")), origin, where + " nodes"));
    }
    if (Fields.has(p, "networks")) {
      List<String> nets = NetworkPeers.parse(Fields.list(p, "networks"), origin, where, warn);
      return new AdminNetworkPolicy.Peer(null, nets, null);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> peer = (Map<String, Object>) p;
    return new AdminNetworkPolicy.Peer(pods(peer, Fields.has(p, "namespaces"), origin, where), List.of(), null);
  }

  private static PolicyPort port(Object p, Origin origin, String where) throws ManifestException {
    int set = 0;
    for (String f : List.of("portNumber", "namedPort", "portRange")) {
      if (Fields.has(p, f)) {
        set++;
      }
    }
    if (set != 1) {
      throw new ManifestException(origin, where + ": exactly one field must be set in an AdminNetworkPolicyPort");
    }
    try {
      if (Fields.has(p, "namedPort")) {
        return new PolicyPort(Protocol.TCP, PortRef.named(Fields.str(p, "namedPort")), 0);
      }
      if (Fields.has(p, "portNumber")) {
        Map<String, Object> n = orEmpty(Fields.map(p, "portNumber"));
        return new PolicyPort(Protocol.parse(Fields.str(n, "protocol")), PortRef.of(Fields.port(n, "port", origin, where)),
            0);
      }
      Map<String, Object> r = orEmpty(Fields.map(p, "portRange"));
      int start = Fields.port(r, "start", origin, where);
      int end = Fields.port(r, "end", origin, where);
      if (end < start) {
        throw new ManifestException(origin, where + ": portRange end " + end + " is below start " + start);
      }
      return new PolicyPort(Protocol.parse(Fields.str(r, "protocol")), PortRef.of(start), end);
    } catch (IllegalArgumentException e) {
      throw new ManifestException(origin, where + ": " + e.getMessage());
    }
  }
}
