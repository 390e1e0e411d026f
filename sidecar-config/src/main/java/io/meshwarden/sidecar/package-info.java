/**
 * Pure translation of least-privilege intent ({@link io.meshwarden.synthesis.PolicySet}) into the
 * configuration that enforces it: Envoy xDS resources for sidecars and for proxyless gRPC, and
 * Kubernetes NetworkPolicy / Istio AuthorizationPolicy YAML for review or GitOps.
 *
 * <pre>
 *   WorkloadPolicy ─► rbac (one Envoy Policy per port rule) ─► listener (filter chains, router last)
 *                                                           └► route (inline RouteConfiguration)
 *                  ─► validate (PGV rules + ours) ─► WorkloadResources the control plane may push
 *   PolicySet      ─► netpol / istio YAML
 * </pre>
 *
 * <p>Nothing here reads the cluster or opens a socket; every function returns the same bytes for
 * the same input. {@code rbac.eval} decides requests against the RBAC we emit, for dry runs.
 */
package io.meshwarden.sidecar;
