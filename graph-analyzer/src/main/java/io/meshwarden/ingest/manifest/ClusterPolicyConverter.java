package io.meshwarden.ingest.manifest;

import io.meshwarden.model.AdminNetworkPolicy;
import io.meshwarden.model.ClusterNetworkPolicy.Action;
import io.meshwarden.model.ClusterNetworkPolicy.Tier;
import io.meshwarden.model.ClusterNetworkPolicy;
import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.Origin;
import io.meshwarden.model.PolicyPort;
import io.meshwarden.model.PortRef;
import io.meshwarden.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2, standard and experimental channel)
 * from plain maps, with the CRD's validation: one-of fields, list bounds, port bounds, the
 * {@code start < end} and {@code isCIDR} rules and the experimental channel's ban on named ports
 * next to networks, nodes or domain names.
 */
final class ClusterPolicyConverter {
  static final String GROUP = "policy.networking.k8s.io";
  static final int MAX_PRIORITY = 1000;
  static final int MAX_RULES = 25;
  static final int MAX_ITEMS = 25;
  static final int MAX_RULE_NAME = 100;
  private static final List<String> INGRESS_PEERS = List.of("namespaces", "pods");
  private static final List<String> EGRESS_PEERS = List.of("namespaces", "pods", "networks", "nodes", "domainNames");
  /** Fields known in a direction they may not be used in: an error, not a newer CRD. */
  private static final Set<String> ALL_PEERS = Set.copyOf(EGRESS_PEERS);
  /** The CRD's pattern for a domain name, with an optional {@code *.} prefix. */
  private static final Pattern DOMAIN_NAME = Pattern.compile(
      "^(\\*\\.)?([a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.)+[a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.?$");

  private ClusterPolicyConverter() {}

  /** Whether the object's apiVersion is in the network-policy-api group (and not, say, Antrea's). */
  static boolean isOurs(Map<String, Object> doc) {
    String apiVersion = Fields.str(doc, "apiVersion");
    return apiVersion != null && apiVersion.startsWith(GROUP + "/");
  }

  static ClusterNetworkPolicy convert(Map<String, Object> doc, Origin origin, Consumer<Diagnostic> warn)
      throws ManifestException {
    String name = Fields.str(Fields.map(doc, "metadata"), "name");
    if (name == null || name.isEmpty()) {
      throw new ManifestException(origin, "ClusterNetworkPolicy without metadata.name");
    }
    String where = "ClusterNetworkPolicy " + name;
    String version = Fields.str(doc, "apiVersion");
    if (!(GROUP + "/v1alpha2").equals(version)) {
      throw new ManifestException(origin, where + ": apiVersion " + version + " is not served; ClusterNetworkPolicy is "
          + GROUP + "/v1alpha2");
    }
    Map<String, Object> spec = Fields.map(doc, "spec");
    if (spec == null) {
      throw new ManifestException(origin, where + ": missing spec");
    }
    String tierText = Fields.str(spec, "tier");
    Tier tier;
    if ("Admin".equals(tierText)) {
      tier = Tier.Admin;
    } else if ("Baseline".equals(tierText)) {
      tier = Tier.Baseline;
    } else {
      throw new ManifestException(origin, where + ": spec.tier must be Admin or Baseline, got " + tierText);
    }
    Object p = spec.get("priority");
    if (!Fields.isInteger(p)) {
      throw new ManifestException(Fields.at(spec, "priority", origin), where + ": spec.priority: expected an integer in 0-"
          + MAX_PRIORITY + ", got " + TypedObjects.found(p));
    }
    Number n = (Number) p;
    if (n.longValue() < 0 || n.longValue() > MAX_PRIORITY) {
      throw new ManifestException(Fields.at(spec, "priority", origin), where + ": spec.priority " + n.longValue()
          + " is outside 0-" + MAX_PRIORITY);
    }
    AdminNetworkPolicy.Subject subject = subject(spec.get("subject"), origin, where + " subject");
    List<ClusterNetworkPolicy.Rule> ingress = rules(spec, true, origin, where, warn);
    List<ClusterNetworkPolicy.Rule> egress = rules(spec, false, origin, where, warn);
    return new ClusterNetworkPolicy(name, tier, n.intValue(), subject, ingress, egress, origin);
  }

  private static AdminNetworkPolicy.Subject subject(Object s, Origin origin, String where) throws ManifestException {
    if (!(s instanceof Map<?, ?> m) || m.size() != 1 || !(m.containsKey("namespaces") || m.containsKey("pods"))) {
      throw new ManifestException(origin, where + ": exactly one of namespaces or pods must be set");
    }
    return pods(s, origin, where);
  }

  /** A {@code namespaces} or {@code pods} subject or peer. */
  private static AdminNetworkPolicy.Subject pods(Object s, Origin origin, String where) throws ManifestException {
    if (Fields.has(s, "namespaces")) {
      return new AdminNetworkPolicy.Subject(selector(s, "namespaces", origin, where), null);
    }
    Object pods = ((Map<?, ?>) s).get("pods");
    if (!(pods instanceof Map<?, ?> podMap)) {
      throw new ManifestException(origin, where + ": pods must be an object with a podSelector");
    }
    for (Object key : podMap.keySet()) {
      if (!"namespaceSelector".equals(key) && !"podSelector".equals(key)) {
        throw new ManifestException(origin, where + ": unknown field pods." + key);
      }
    }
    if (!podMap.containsKey("podSelector")) {
      throw new ManifestException(origin, where + ": pods.podSelector is required ({} selects every pod)");
    }
    LabelSelector ns = podMap.containsKey("namespaceSelector")
        ? selector(pods, "namespaceSelector", origin, where + " pods") : LabelSelector.EVERYTHING;
    return new AdminNetworkPolicy.Subject(ns, selector(pods, "podSelector", origin, where + " pods"));
  }

  private static LabelSelector selector(Object parent, String key, Origin origin, String where)
      throws ManifestException {
    Object raw = ((Map<?, ?>) parent).get(key);
    if (raw != null && !(raw instanceof Map<?, ?>)) {
      throw new ManifestException(origin, where + ": " + key + " must be a label selector");
    }
    Map<String, Object> m = Fields.map(parent, key);
    return Selectors.convert(m == null ? Map.of() : m, origin, where + " " + key);
  }

  private static List<ClusterNetworkPolicy.Rule> rules(Map<String, Object> spec, boolean ingress, Origin policyOrigin,
      String where, Consumer<Diagnostic> warn) throws ManifestException {
    String direction = ingress ? "ingress" : "egress";
    List<ClusterNetworkPolicy.Rule> out = new ArrayList<>();
    Object rawRules = spec.get(direction);
    if (rawRules == null) {
      return out;
    }
    if (!(rawRules instanceof List<?> raw)) {
      throw new ManifestException(policyOrigin, where + ": spec." + direction + " must be a list of rules");
    }
    if (raw.size() > MAX_RULES) {
      throw new ManifestException(policyOrigin, where + ": " + raw.size() + " " + direction + " rules; at most "
          + MAX_RULES + " are allowed");
    }
    for (Object r : raw) {
      Origin origin = new Origin(policyOrigin.file(), Fields.line(r, policyOrigin.line()));
      String name = Fields.str(r, "name");
      String ruleWhere = where + " " + direction + " rule" + (name == null ? "" : " \"" + name + "\"");
      if (name != null && name.length() > MAX_RULE_NAME) {
        throw new ManifestException(origin, ruleWhere + ": name is longer than " + MAX_RULE_NAME + " characters");
      }
      Action action = action(Fields.str(r, "action"), origin, ruleWhere);
      String peersField = ingress ? "from" : "to";
      List<Object> peers = Fields.list(r, peersField);
      if (peers == null || peers.isEmpty() || peers.size() > MAX_ITEMS) {
        throw new ManifestException(origin, ruleWhere + ": " + peersField + " must hold 1 to " + MAX_ITEMS + " peers");
      }
      List<ClusterNetworkPolicy.Peer> outPeers = new ArrayList<>();
      for (Object peer : peers) {
        outPeers.add(peer(peer, ingress, action, origin, ruleWhere, warn));
      }
      List<PolicyPort> protocols = protocols(r, origin, ruleWhere);
      boolean addressPeer = outPeers.stream().anyMatch(x -> !x.networks().isEmpty() || x.nodes() != null
          || !x.domainNames().isEmpty());
      if (addressPeer && protocols.stream().anyMatch(x -> x.port() != null && x.port().isNamed())) {
        throw new ManifestException(origin, ruleWhere + ": networks/nodes/domainNames peer cannot be set with"
            + " namedPorts since there are no namedPorts for networks/nodes/domainNames");
      }
      out.add(new ClusterNetworkPolicy.Rule(name, action, outPeers, protocols, origin));
    }
    return out;
  }

  private static Action action(String text, Origin origin, String where) throws ManifestException {
    for (Action a : Action.values()) {
      if (a.name().equals(text)) {
        return a;
      }
    }
    throw new ManifestException(origin, where + ": unsupported action \"" + text + "\" (want Accept, Deny or Pass"
        + ("Allow".equals(text) ? "; v1alpha2 says Accept where AdminNetworkPolicy said Allow" : "") + ")");
  }

  private static ClusterNetworkPolicy.Peer peer(Object p, boolean ingress, Action action, Origin origin, String where,
      Consumer<Diagnostic> warn) throws ManifestException {
    if (!(p instanceof Map<?, ?> m)) {
      throw new ManifestException(origin, where + ": a peer must be an object");
    }
    List<String> allowed = ingress ? INGRESS_PEERS : EGRESS_PEERS;
    List<String> known = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (Object key : m.keySet()) {
      String k = String.valueOf(key);
      if (allowed.contains(k)) {
        known.add(k);
      } else if (ALL_PEERS.contains(k)) {
        throw new ManifestException(origin, where + ": " + k + " is not an " + (ingress ? "ingress" : "egress")
            + " peer (want one of " + String.join(", ", allowed) + ")");
      } else {
        unknown.add(k);
      }
    }
    if (known.isEmpty()) {
      // What a CRD of a newer version leaves after pruning: the API asks to fail closed.
      warn.accept(Diagnostic.warning("unknown-peer", origin, where + ": a peer with " + (unknown.isEmpty() ? "no field"
          : "only unknown fields (" + String.join(", ", unknown) + ")") + " fails closed: "
          + (action == Action.Accept ? "the rule accepts nothing" : "the rule denies all traffic")));
      return ClusterNetworkPolicy.Peer.unknown(unknown.isEmpty() ? List.of("{}") : unknown);
    }
    if (known.size() > 1) {
      throw new ManifestException(origin, where + ": exactly one field must be set in a peer, got "
          + String.join(" and ", known));
    }
    if (!unknown.isEmpty()) {
      throw new ManifestException(origin, where + ": unknown field " + String.join(", ", unknown) + " in a peer");
    }
    String field = known.get(0);
    switch (field) {
      case "networks" -> {
        List<Object> nets = Fields.list(p, "networks");
        if (nets != null && nets.size() > MAX_ITEMS) {
          throw new ManifestException(origin, where + ": networks holds " + nets.size() + " CIDRs; at most "
              + MAX_ITEMS + " are allowed");
        }
        return ClusterNetworkPolicy.Peer.networks(NetworkPeers.parse(nets, origin, where, warn));
      }
      case "nodes" -> {
        return ClusterNetworkPolicy.Peer.nodes(selector(p, "nodes", origin, where));
      }
      case "domainNames" -> {
        if (action != Action.Accept) {
          throw new ManifestException(origin, where + ": domainNames peers are only supported in Accept rules");
        }
        List<Object> names = Fields.list(p, "domainNames");
        if (names == null || names.isEmpty() || names.size() > MAX_ITEMS) {
          throw new ManifestException(origin, where + ": domainNames must hold 1 to " + MAX_ITEMS + " names");
        }
        List<String> out = new ArrayList<>();
        for (Object n : names) {
          String name = String.valueOf(n);
          if (!DOMAIN_NAME.matcher(name).matches()) {
            throw new ManifestException(origin, where + ": invalid domain name \"" + name
                + "\" (DNS labels, optionally after a \"*.\" prefix)");
          }
          out.add(name);
        }
        return ClusterNetworkPolicy.Peer.domainNames(out);
      }
      default -> {
        return ClusterNetworkPolicy.Peer.pods(pods(p, origin, where));
      }
    }
  }

  private static List<PolicyPort> protocols(Object rule, Origin origin, String where) throws ManifestException {
    List<PolicyPort> out = new ArrayList<>();
    if (!Fields.has(rule, "protocols")) {
      return out;
    }
    List<Object> raw = Fields.list(rule, "protocols");
    if (raw == null || raw.isEmpty() || raw.size() > MAX_ITEMS) {
      throw new ManifestException(origin, where + ": protocols must hold 1 to " + MAX_ITEMS + " items");
    }
    for (Object item : raw) {
      if (!(item instanceof Map<?, ?> m) || m.size() != 1) {
        throw new ManifestException(origin, where + ": exactly one of tcp, udp, sctp or destinationNamedPort must be"
            + " set in a protocols item");
      }
      String key = String.valueOf(m.keySet().iterator().next());
      switch (key) {
        case "destinationNamedPort" -> {
          String name = Fields.str(item, key);
          if (name == null || name.isEmpty()) {
            throw new ManifestException(origin, where + ": destinationNamedPort must name a container port");
          }
          out.add(new PolicyPort(Protocol.TCP, PortRef.named(name), 0));
        }
        case "tcp", "udp", "sctp" -> out.add(port(Protocol.parse(key.toUpperCase(java.util.Locale.ROOT)),
            Fields.map(item, key), origin, where + " " + key));
        default -> throw new ManifestException(origin, where + ": unknown protocol \"" + key
            + "\" (want tcp, udp, sctp or destinationNamedPort)");
      }
    }
    return out;
  }

  private static PolicyPort port(Protocol protocol, Map<String, Object> p, Origin origin, String where)
      throws ManifestException {
    Map<String, Object> dst = Fields.map(p, "destinationPort");
    if (p == null || p.size() != 1 || dst == null) {
      throw new ManifestException(origin, where + ": destinationPort must be set (leave out protocols to match every"
          + " port)");
    }
    if (dst.size() != 1 || !(dst.containsKey("number") || dst.containsKey("range"))) {
      throw new ManifestException(origin, where + ": exactly one of number or range must be set in destinationPort");
    }
    if (dst.containsKey("number")) {
      return new PolicyPort(protocol, PortRef.of(Fields.port(dst, "number", origin, where)), 0);
    }
    Map<String, Object> range = Fields.map(dst, "range");
    if (range == null) {
      throw new ManifestException(origin, where + ": range must have start and end");
    }
    int start = Fields.port(range, "start", origin, where + " range");
    int end = Fields.port(range, "end", origin, where + " range");
    if (start >= end) {
      throw new ManifestException(origin, where + ": range start " + start + " must be less than end " + end);
    }
    return new PolicyPort(protocol, PortRef.of(start), end);
  }
}
