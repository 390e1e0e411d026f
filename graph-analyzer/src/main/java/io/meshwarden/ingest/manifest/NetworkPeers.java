package io.meshwarden.ingest.manifest;

import io.meshwarden.model.Diagnostic;
import io.meshwarden.model.Origin;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code networks} egress peer that AdminNetworkPolicy (v1alpha1) and ClusterNetworkPolicy
 * (v1alpha2) share: a list of CIDRs, read once here so that both kinds validate them alike.
 */
final class NetworkPeers {
  private NetworkPeers() {}

  /** The CIDRs the analysis can use; a malformed one is an error naming the rule. */
  static List<String> parse(List<Object> raw, Origin origin, String where, Consumer<Diagnostic> warn)
      throws ManifestException {
    if (raw == null || raw.isEmpty()) {
      throw new ManifestException(origin, where + ": networks must contain at least one CIDR");
    }
    List<String> nets = new ArrayList<>();
    for (Object n : raw) {
      String cidr = n == null ? "" : String.valueOf(n);
      Cidrs.parseNetwork(cidr, new Origin(origin.file(), Fields.line(n, origin.line())), where + " networks", warn);
      nets.add(cidr);
    }
    return nets;
  }
}
