/**
 * Istio {@code security.istio.io/v1} AuthorizationPolicy YAML from a PolicySet: one ALLOW policy per
 * workload (selected by its pod labels) and an allow-nothing policy per namespace, optionally
 * marked {@code istio.io/dry-run}. Inbound only: AuthorizationPolicy is enforced by the server.
 */
package io.meshwarden.sidecar.istio;
