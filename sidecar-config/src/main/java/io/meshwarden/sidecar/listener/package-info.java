/**
 * Listeners for one workload: the sidecar's inbound listener (one filter chain per allowed port,
 * matched by destination port; HTTP ports run RBAC then the router, TCP ports network RBAC then
 * tcp_proxy) with its local clusters, and the proxyless gRPC server listeners. {@code Filters} is
 * the one place that wraps typed configs into filters.
 */
package io.meshwarden.sidecar.listener;
