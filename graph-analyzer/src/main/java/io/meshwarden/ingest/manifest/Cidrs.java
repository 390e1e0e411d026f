package io.meshwarden.ingest.manifest;

import io.meshwarden.model.IpRange;

/** CIDR validation at the manifest edge, so that analysis only ever sees well-formed ranges. */
final class Cidrs {
  private Cidrs() {}

  /** Returns why the text is not a CIDR, or null if it is one. */
  static String check(String cidr) {
    if (cidr == null || cidr.isEmpty()) {
      return "CIDR error: invalid CIDR address: \"\" (empty)";
    }
    try {
      IpRange.parseCidr(cidr);
      return null;
    } catch (IllegalArgumentException e) {
      return "CIDR error: invalid CIDR address: " + cidr;
    }
  }
}
