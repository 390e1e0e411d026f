package io.meshwarden.traffic;

import java.util.Objects;

/**
 * A resolved flow endpoint: a workload ({@code namespace/Kind/name}), an external peer
 * ({@code external:<cidr or dns name>}), or {@code internet}.
 */
public record PeerRef(Type type, String id) implements Comparable<PeerRef> {
  public static final PeerRef INTERNET = new PeerRef(Type.INTERNET, "internet");
  /**
   * The internet reached over IPv6: an endpoint a source marks only as "the world" (Cilium's
   * {@code world} identity) whose address is IPv6, so that policy generated from it names
   * {@code ::/0} rather than {@code 0.0.0.0/0}.
   */
  public static final PeerRef INTERNET_IPV6 = new PeerRef(Type.INTERNET, "internet-ipv6");

  public PeerRef {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
  }

  /** Kinds of resolved peers. */
  public enum Type {
    WORKLOAD,
    EXTERNAL,
    INTERNET
  }

  public static PeerRef workload(String workloadId) {
    return new PeerRef(Type.WORKLOAD, workloadId);
  }

  public static PeerRef external(String cidrOrName) {
    return new PeerRef(Type.EXTERNAL, "external:" + cidrOrName);
  }

  /** The addresses (IPv4 or IPv6) of an external peer known by address ({@code external:<ip or cidr>}). */
  public java.util.Optional<io.meshwarden.model.IpRange> address() {
    if (type != Type.EXTERNAL) {
      return java.util.Optional.empty();
    }
    String v = id.substring("external:".length());
    try {
      return java.util.Optional.of(v.contains("/") ? io.meshwarden.model.IpRange.parseCidr(v)
          : io.meshwarden.model.IpRange.parseAddress(v));
    } catch (IllegalArgumentException notAnAddress) {
      return java.util.Optional.empty();
    }
  }

  /**
   * The DNS name of an external peer known by name ({@code external:api.example.com}); empty for
   * addresses and for the names of reserved peers ({@code external:node}), which hold no dot.
   */
  public java.util.Optional<String> dnsName() {
    if (type != Type.EXTERNAL || address().isPresent()) {
      return java.util.Optional.empty();
    }
    String v = id.substring("external:".length());
    return v.indexOf('.') > 0 ? java.util.Optional.of(v) : java.util.Optional.empty();
  }

  public boolean isWorkload() {
    return type == Type.WORKLOAD;
  }

  @Override
  public int compareTo(PeerRef o) {
    return id.compareTo(o.id);
  }

  @Override
  public String toString() {
    return id;
  }
}
