package io.meshwarden.index;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The writer's side of {@link PodIpIndex}: which addresses each namespace's pods hold now, and
 * who held them before. Owned by the index's writer thread; not thread-safe.
 */
final class IpHistory {
  /** Owners remembered per address, beyond the live one. */
  private static final int MAX_PER_IP = 8;

  private final Duration retention;
  private final Map<String, List<IpOwner>> owners = new HashMap<>();
  /** Per namespace, the addresses its pods hold now: ip → live owner. */
  private final Map<String, Map<String, IpOwner>> liveByNamespace = new HashMap<>();
  private boolean changed;
  private PodIpIndex published = PodIpIndex.EMPTY;

  IpHistory(Duration retention) {
    this.retention = retention;
  }

  /**
   * Makes {@code live} (ip → owner with {@code since} unset meaning "now") the addresses the
   * namespace holds: addresses no longer held are released at {@code now}, new ones assigned.
   */
  void namespace(String namespace, Map<String, IpOwner> live, Instant now) {
    Map<String, IpOwner> before = liveByNamespace.getOrDefault(namespace, Map.of());
    Map<String, IpOwner> after = new HashMap<>();
    for (Map.Entry<String, IpOwner> e : live.entrySet()) {
      IpOwner old = before.get(e.getKey());
      IpOwner next = e.getValue();
      if (old != null && sameHolder(old, next)) {
        after.put(e.getKey(), old);
        continue;
      }
      if (old != null) {
        release(old, now);
      }
      after.put(e.getKey(), next);
      add(next);
    }
    for (Map.Entry<String, IpOwner> e : before.entrySet()) {
      if (!after.containsKey(e.getKey())) {
        release(e.getValue(), now);
      }
    }
    if (after.isEmpty()) {
      liveByNamespace.remove(namespace);
    } else {
      liveByNamespace.put(namespace, after);
    }
  }

  private static boolean sameHolder(IpOwner a, IpOwner b) {
    return a.namespace().equals(b.namespace()) && a.kind() == b.kind() && a.workload().equals(b.workload())
        && java.util.Objects.equals(a.pod(), b.pod());
  }

  // Lists are immutable and replaced on change, so publishing copies the map and not the lists.
  private void add(IpOwner o) {
    List<IpOwner> old = owners.getOrDefault(o.ip(), List.of());
    List<IpOwner> list = new ArrayList<>(Math.min(old.size() + 1, MAX_PER_IP));
    list.add(o);
    for (int i = 0; i < old.size() && list.size() < MAX_PER_IP; i++) {
      list.add(old.get(i));
    }
    owners.put(o.ip(), List.copyOf(list));
    changed = true;
  }

  private void release(IpOwner o, Instant now) {
    List<IpOwner> list = owners.get(o.ip());
    if (list == null) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == o) {
        List<IpOwner> copy = new ArrayList<>(list);
        copy.set(i, o.releasedAt(now));
        owners.put(o.ip(), List.copyOf(copy));
        changed = true;
        return;
      }
    }
  }

  /** Forgets owners released longer than the retention ago. */
  void prune(Instant now) {
    Instant cutoff = now.minus(retention);
    for (var it = owners.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (e.getValue().stream().noneMatch(o -> o.until() != null && o.until().isBefore(cutoff))) {
        continue;
      }
      List<IpOwner> kept = e.getValue().stream().filter(o -> o.until() == null || !o.until().isBefore(cutoff))
          .toList();
      if (kept.isEmpty()) {
        it.remove();
      } else {
        e.setValue(kept);
      }
      changed = true;
    }
  }

  /** The index as of now; the same instance while nothing changed. */
  PodIpIndex publish() {
    if (changed) {
      published = new PodIpIndex(new HashMap<>(owners));
      changed = false;
    }
    return published;
  }
}
