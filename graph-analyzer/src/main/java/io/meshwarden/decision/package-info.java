/**
 * Analysis: the layered decision every consumer asks (explain, dry-run, the graph, findings): for
 * one connection or request, the verdict of each enforcement layer in the order traffic meets them
 * (the source's egress and the destination's ingress under NetworkPolicy / AdminNetworkPolicy /
 * BaselineAdminNetworkPolicy, then Istio AuthorizationPolicy at the destination's sidecar), each
 * naming its policy, rule and file:line, and the final verdict across them.
 */
package io.meshwarden.decision;
