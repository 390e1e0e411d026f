package io.meshwarden.index;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pod IP → workload, with the recent owners of each address, so that a flow that arrives after
 * its pod died (or after the IP went to another pod) still resolves to the workload that held the
 * address when the flow happened. Immutable; safe to share between threads.
 */
public final class PodIpIndex {
  static final PodIpIndex EMPTY = new PodIpIndex(Map.of());

  /** Per address, its owners newest first. */
  private final Map<String, List<IpOwner>> owners;

  /** Takes ownership of {@code owners}, whose lists must be immutable. */
  PodIpIndex(Map<String, List<IpOwner>> owners) {
    this.owners = java.util.Collections.unmodifiableMap(owners);
  }

  /**
   * The owner of {@code ip} at {@code at}: the one whose holding covers that time, newest first;
   * with {@code at} null, the current owner or else the most recent one still remembered.
   */
  public Optional<IpOwner> resolve(String ip, Instant at) {
    // Pod status holds canonical text; an access log may not ([::ffff:10.0.0.5], fd00:0::5).
    List<IpOwner> history = owners.get(io.meshwarden.model.IpRange.canonicalAddress(ip));
    if (history == null || history.isEmpty()) {
      return Optional.empty();
    }
    if (at == null) {
      return history.stream().filter(IpOwner::live).findFirst().or(() -> Optional.of(history.get(0)));
    }
    return history.stream().filter(o -> o.covers(at)).findFirst();
  }

  /** Every remembered owner of {@code ip}, newest first. */
  public List<IpOwner> history(String ip) {
    return owners.getOrDefault(io.meshwarden.model.IpRange.canonicalAddress(ip), List.of());
  }

  /** How many addresses are remembered. */
  public int size() {
    return owners.size();
  }
}
