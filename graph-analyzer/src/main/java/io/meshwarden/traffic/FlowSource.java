package io.meshwarden.traffic;

import java.util.List;

/**
 * Which kind of source recorded a flow, and so what that source can and cannot see. A proposal may
 * only restrict what its sources could see: a direction or port no source in use covers stays open.
 * The visibility of each source is data here, not a branch in the synthesizer, so that policy
 * generation, findings and reports agree on it.
 */
public enum FlowSource {
  /** The server's sidecar logged an HTTP request it received ({@code inbound|PORT||} cluster). */
  ENVOY_INBOUND_HTTP("Envoy inbound HTTP access log", true, false, false,
      List.of("egress of the workloads that log (outbound calls are logged by the caller, if at all)",
          "connections that are not HTTP requests (plain TCP such as Redis or databases)",
          "ports on which no request was logged (they stay open)")),
  /** The server's sidecar logged a TCP connection it received. */
  ENVOY_INBOUND_TCP("Envoy inbound TCP access log", true, false, false,
      List.of("egress of the workloads that log", "HTTP methods and paths of TCP-logged ports",
          "ports on which no connection was logged (they stay open)")),
  /** The client's sidecar logged an HTTP request it sent ({@code outbound|PORT||host} cluster). */
  ENVOY_OUTBOUND_HTTP("Envoy outbound HTTP access log", false, true, false,
      List.of("ingress of the workloads that log", "connections that are not HTTP requests",
          "ports to which no request was logged (they stay open)")),
  /** The client's sidecar logged a TCP connection it opened. */
  ENVOY_OUTBOUND_TCP("Envoy outbound TCP access log", false, true, false,
      List.of("ingress of the workloads that log", "HTTP methods and paths of TCP-logged ports",
          "ports to which no connection was logged (they stay open)")),
  /**
   * A proxy whose place is unknown (no Istio cluster name: an edge or front proxy): its flows are
   * evidence that traffic exists, but it does not say whose ingress or egress it watched.
   */
  ENVOY_EDGE("Envoy access log of a proxy whose side is unknown", false, false, false,
      List.of("whose ingress or egress it watched (no inbound|/outbound| cluster), so it restricts nothing")),
  /** Cilium's datapath ({@code hubble observe}): L3/L4 in both directions on every port. */
  HUBBLE("Hubble flow log", true, true, true,
      List.of("HTTP methods and paths (unless Cilium L7 visibility recorded them)",
          "pods on nodes where Hubble was not running")),
  /** A flow whose source did not say what it watched: evidence of traffic, restricts nothing. */
  UNKNOWN("a source of unknown vantage", false, false, false,
      List.of("whose ingress or egress it watched, so it restricts nothing"));

  private final String label;
  private final boolean seesServerIngress;
  private final boolean seesClientEgress;
  private final boolean seesEveryPort;
  private final List<String> blindSpots;

  FlowSource(String label, boolean seesServerIngress, boolean seesClientEgress, boolean seesEveryPort,
      List<String> blindSpots) {
    this.label = label;
    this.seesServerIngress = seesServerIngress;
    this.seesClientEgress = seesClientEgress;
    this.seesEveryPort = seesEveryPort;
    this.blindSpots = blindSpots;
  }

  /** How reviewers read it, e.g. "Envoy inbound HTTP access log". */
  public String label() {
    return label;
  }

  /** Whether a flow it recorded shows the server workload's ingress. */
  public boolean seesServerIngress() {
    return seesServerIngress;
  }

  /** Whether a flow it recorded shows the client workload's egress. */
  public boolean seesClientEgress() {
    return seesClientEgress;
  }

  /**
   * Whether, for a workload it watched in a direction, it saw every port (a datapath sees all
   * packets) or only the ports something was logged on (a proxy's log says nothing about a port that
   * carried no request).
   */
  public boolean seesEveryPort() {
    return seesEveryPort;
  }

  /** What this source cannot see, in words for the reviewer. */
  public List<String> blindSpots() {
    return blindSpots;
  }

  /** The source of an Envoy record: by the side its cluster names and whether it was a request. */
  public static FlowSource envoy(Boolean inbound, boolean http) {
    if (inbound == null) {
      return ENVOY_EDGE;
    }
    if (inbound) {
      return http ? ENVOY_INBOUND_HTTP : ENVOY_INBOUND_TCP;
    }
    return http ? ENVOY_OUTBOUND_HTTP : ENVOY_OUTBOUND_TCP;
  }
}
