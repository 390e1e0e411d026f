package io.meshwarden.decision;

/** An enforcement point a connection passes, in the order it meets them. */
public enum Layer {
  /** The source pod's egress under AdminNetworkPolicy, NetworkPolicy, BaselineAdminNetworkPolicy. */
  L4_EGRESS("egress"),
  /** The destination pod's ingress under the same tiers. */
  L4_INGRESS("ingress"),
  /** Istio AuthorizationPolicy at the destination's sidecar. */
  ISTIO_AUTHZ("Istio authorization");

  private final String title;

  Layer(String title) {
    this.title = title;
  }

  /** How reports name the layer. */
  public String title() {
    return title;
  }
}
