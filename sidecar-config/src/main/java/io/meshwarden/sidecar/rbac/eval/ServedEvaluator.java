package io.meshwarden.sidecar.rbac.eval;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.meshwarden.sidecar.ServedResources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Judges requests against exactly what one workload group is served over ADS ({@link
 * ServedResources}: listeners plus the RDS route configurations that carry HTTP RBAC per route).
 * The listener is the one bound to the request's destination port (a proxyless gRPC server binds
 * one per serving port), else the one that captures redirected traffic ({@code original_dst}, an
 * Envoy sidecar's inbound listener). Pure; compiled once; thread-safe.
 */
public final class ServedEvaluator {
  private static final String ORIGINAL_DST = "envoy.filters.listener.original_dst";

  private final String workloadId;
  private final Map<Integer, InboundEvaluator> bound = new HashMap<>();
  private final InboundEvaluator capture;
  private final List<String> unsupported = new ArrayList<>();

  private ServedEvaluator(ServedResources served) {
    this.workloadId = served.workloadId();
    Map<String, RouteConfiguration> rds = new HashMap<>();
    for (RouteConfiguration rc : served.routes()) {
      rds.put(rc.getName(), rc);
    }
    InboundEvaluator c = null;
    for (Listener l : served.listeners()) {
      InboundEvaluator e = InboundEvaluator.of(l, rds);
      unsupported.addAll(e.unsupported());
      if (captures(l)) {
        c = c == null ? e : c;
      } else if (l.hasAddress() && l.getAddress().hasSocketAddress()) {
        bound.putIfAbsent(l.getAddress().getSocketAddress().getPortValue(), e);
      }
    }
    capture = c;
  }

  public static ServedEvaluator of(ServedResources served) {
    return new ServedEvaluator(Objects.requireNonNull(served, "served"));
  }

  public String workloadId() {
    return workloadId;
  }

  /**
   * The served verdicts on {@code r}; null when no served listener takes its port (nothing of ours
   * sees such a connection, so nothing can be said of it).
   */
  public Judgement judge(Request r) {
    InboundEvaluator e = bound.get(r.destinationPort);
    if (e == null) {
      e = capture;
    }
    return e == null ? null : e.judge(r);
  }

  /** What the served resources contain that cannot be evaluated offline; empty means verdicts are exact. */
  public List<String> unsupported() {
    return List.copyOf(unsupported);
  }

  private static boolean captures(Listener l) {
    if (l.hasUseOriginalDst() && l.getUseOriginalDst().getValue()) {
      return true;
    }
    for (ListenerFilter f : l.getListenerFiltersList()) {
      if (ORIGINAL_DST.equals(f.getName())) {
        return true;
      }
    }
    return false;
  }
}
