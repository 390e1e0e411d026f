/**
 * Kubernetes NetworkPolicy YAML from a PolicySet: a default deny (ingress and egress) per namespace
 * and one allow policy per workload that selects it by its own pod labels. L4 only; see DESIGN.md
 * for what NetworkPolicy cannot say (the kubelet, HTTP).
 */
package io.meshwarden.sidecar.netpol;
