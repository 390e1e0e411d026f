/**
 * Analysis: least-privilege policy intent ({@code PolicySet}) from observed traffic, with provenance; translators turn it into Envoy, NetworkPolicy or Istio config.
 */
package io.meshwarden.synthesis;
