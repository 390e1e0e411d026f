package io.meshwarden.ingest.manifest;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.IpBlock;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.LabelSelector;
import io.meshwarden.model.NetworkPolicy;
import io.meshwarden.model.Origin;
import io.meshwarden.model.PolicyPort;
import io.meshwarden.model.PortRef;
import io.meshwarden.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** fabric8 NetworkPolicy → validated {@link NetworkPolicy}, with the API server's checks. */
final class NetworkPolicyConverter {
  private NetworkPolicyConverter() {}

  static NetworkPolicy convert(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy np, String namespace,
      Origin origin, Consumer<Diagnostic> warn) throws ManifestException {
    return convert(np, namespace, origin, "NetworkPolicy", null, warn);
  }

  /**
   * The policy with each rule's origin at its own {@code ingress}/{@code egress} item of
   * {@code doc}, the document it was read from, so findings and explanations point at the rule.
   */
  static NetworkPolicy withRuleLines(NetworkPolicy p, Map<String, Object> doc) {
    Map<String, Object> spec = Fields.map(doc, "spec");
    return new NetworkPolicy(p.namespace(), p.name(), p.podSelector(), p.affectsIngress(), p.affectsEgress(),
        atLines(p.ingress(), Fields.list(spec, "ingress"), p.origin()),
        atLines(p.egress(), Fields.list(spec, "egress"), p.origin()), p.origin());
  }

  private static List<NetworkPolicy.Rule> atLines(List<NetworkPolicy.Rule> rules, List<Object> items, Origin origin) {
    List<NetworkPolicy.Rule> out = new ArrayList<>(rules.size());
    for (int i = 0; i < rules.size(); i++) {
      Object item = items != null && i < items.size() ? items.get(i) : null;
      int line = Fields.line(item, 0);
      out.add(line > 0 ? rules.get(i).at(new Origin(origin.file(), line)) : rules.get(i));
    }
    return out;
  }

  /**
   * Converts a policy of NetworkPolicy shape; {@code kind} names it in errors, which name the line
   * of the rule at fault when {@code doc}, the document the policy was read from, is given.
   */
  static NetworkPolicy convert(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy np, String namespace,
      Origin origin, String kind, Map<String, Object> doc, Consumer<Diagnostic> warn) throws ManifestException {
    String name = np.getMetadata().getName();
    NetworkPolicySpec spec = np.getSpec();
    if (spec == null) {
      spec = new NetworkPolicySpec();
    }
    String where = kind + " " + namespace + "/" + name;
    LabelSelector podSelector = Selectors.convert(spec.getPodSelector(), origin, where + " podSelector");
    if (podSelector == null) {
      podSelector = LabelSelector.EVERYTHING;
    }
    Map<String, Object> rawSpec = doc == null ? null : Fields.map(doc, "spec");
    List<NetworkPolicy.Rule> ingress = new ArrayList<>();
    if (spec.getIngress() != null) {
      List<Object> items = rawSpec == null ? null : Fields.list(rawSpec, "ingress");
      int i = 0;
      for (NetworkPolicyIngressRule r : spec.getIngress()) {
        ingress.add(rule(r.getFrom(), r.getPorts(), false, itemOrigin(items, i++, origin), where + " ingress rule",
            warn));
      }
    }
    List<NetworkPolicy.Rule> egress = new ArrayList<>();
    if (spec.getEgress() != null) {
      List<Object> items = rawSpec == null ? null : Fields.list(rawSpec, "egress");
      int i = 0;
      for (NetworkPolicyEgressRule r : spec.getEgress()) {
        egress.add(rule(r.getTo(), r.getPorts(), true, itemOrigin(items, i++, origin), where + " egress rule",
            warn));
      }
    }
    boolean affectsIngress;
    boolean affectsEgress;
    List<String> types = spec.getPolicyTypes();
    if (types == null || types.isEmpty()) {
      affectsIngress = true;
      affectsEgress = !egress.isEmpty();
    } else {
      affectsIngress = false;
      affectsEgress = false;
      for (String t : types) {
        switch (t) {
          case "Ingress" -> affectsIngress = true;
          case "Egress" -> affectsEgress = true;
          default -> throw new ManifestException(origin, where + ": invalid policyType \"" + t
              + "\" (want Ingress or Egress)");
        }
      }
    }
    return new NetworkPolicy(namespace, name, podSelector, affectsIngress, affectsEgress, ingress, egress, origin);
  }

  /**
   * One rule. A named port is resolved on the pods at the destination; in an egress rule to an
   * ipBlock the destination is an address with no pod spec, so the rule could never match anything
   * and is refused, as np-guard does, rather than analysed as a cluster that cannot exist.
   */
  private static NetworkPolicy.Rule rule(List<NetworkPolicyPeer> peers, List<NetworkPolicyPort> ports,
      boolean egress, Origin origin, String where, Consumer<Diagnostic> warn) throws ManifestException {
    List<NetworkPolicy.Peer> out = new ArrayList<>();
    if (peers != null) {
      for (NetworkPolicyPeer p : peers) {
        out.add(peer(p, origin, where, warn));
      }
    }
    List<PolicyPort> outPorts = new ArrayList<>();
    if (ports != null) {
      for (NetworkPolicyPort p : ports) {
        outPorts.add(port(p.getProtocol(), p.getPort(), p.getEndPort(), origin, where));
      }
    }
    if (egress && out.stream().anyMatch(p -> p.ipBlock() != null)) {
      for (PolicyPort p : outPorts) {
        if (p.port() != null && p.port().isNamed()) {
          throw new ManifestException(origin, where + ": named port \"" + p.port().name()
              + "\" on an ipBlock peer: an address outside the cluster has no named ports; use the port number");
        }
      }
    }
    return new NetworkPolicy.Rule(out, outPorts);
  }

  /** The origin of the {@code i}th rule item when the document is at hand, else the policy's. */
  private static Origin itemOrigin(List<Object> items, int i, Origin policy) {
    int line = items != null && i < items.size() ? Fields.line(items.get(i), 0) : 0;
    return line > 0 ? new Origin(policy.file(), line) : policy;
  }

  private static NetworkPolicy.Peer peer(NetworkPolicyPeer p, Origin origin, String where, Consumer<Diagnostic> warn)
      throws ManifestException {
    boolean hasSelector = p.getPodSelector() != null || p.getNamespaceSelector() != null;
    if (p.getIpBlock() == null && !hasSelector) {
      throw new ManifestException(origin, where + ": rule NetworkPolicyPeer error: cannot have empty rule peer");
    }
    if (p.getIpBlock() != null && hasSelector) {
      throw new ManifestException(origin, where
          + ": rule NetworkPolicyPeer error: cannot have both IPBlock and PodSelector/NamespaceSelector set");
    }
    IpBlock block = null;
    if (p.getIpBlock() != null) {
      String cidr = p.getIpBlock().getCidr();
      IpRange range = Cidrs.parse(cidr, origin, where + " ipBlock.cidr", warn);
      List<String> except = p.getIpBlock().getExcept() == null ? List.of() : p.getIpBlock().getExcept();
      List<IpRange> exceptRanges = new ArrayList<>();
      for (String e : except) {
        IpRange r = Cidrs.parse(e, origin, where + " ipBlock.except", warn);
        // The API server refuses an exception that is not a strict subset of the cidr.
        if (!range.contains(r) || range.equals(r)) {
          throw new ManifestException(origin, where + ": ipBlock.except " + e + " must be a strict subset of cidr "
              + cidr, Cidrs.INVALID);
        }
        exceptRanges.add(r);
      }
      block = new IpBlock(cidr, except, IpBlock.ranges(range, exceptRanges));
    }
    return new NetworkPolicy.Peer(
        Selectors.convert(p.getPodSelector(), origin, where + " podSelector"),
        Selectors.convert(p.getNamespaceSelector(), origin, where + " namespaceSelector"),
        block);
  }

  static PolicyPort port(String protocolName, IntOrString port, Integer endPort, Origin origin, String where)
      throws ManifestException {
    Protocol protocol;
    try {
      protocol = Protocol.parse(protocolName);
    } catch (IllegalArgumentException e) {
      throw new ManifestException(origin, where + ": " + e.getMessage());
    }
    PortRef ref = null;
    if (port != null) {
      if (port.getStrVal() != null) {
        String name = port.getStrVal();
        if (name.chars().allMatch(Character::isDigit) && !name.isEmpty()) {
          ref = PortRef.of(checkPort(Integer.parseInt(name), origin, where));
        } else {
          ref = PortRef.named(name);
        }
      } else if (port.getIntVal() != null) {
        ref = PortRef.of(checkPort(port.getIntVal(), origin, where));
      }
    }
    int end = 0;
    if (endPort != null) {
      if (ref == null) {
        throw new ManifestException(origin, where + ": endPort cannot be defined if the port field is not defined");
      }
      if (ref.isNamed()) {
        throw new ManifestException(origin, where
            + ": endPort field cannot be defined if the port field is defined as a named (string) port");
      }
      end = checkPort(endPort, origin, where);
      if (end < ref.number()) {
        throw new ManifestException(origin, where + ": endPort " + end + " must be equal or greater than port "
            + ref.number());
      }
    }
    return new PolicyPort(protocol, ref, end);
  }

  private static int checkPort(int port, Origin origin, String where) throws ManifestException {
    if (port < 1 || port > 65535) {
      throw new ManifestException(origin, where + ": port " + port + " is out of range 1-65535");
    }
    return port;
  }
}
