/**
 * Inline RouteConfigurations: a forwarding route to the local application for sidecars, and the
 * {@code non_forwarding_action} route proxyless gRPC servers require (a forwarding route is ACKed
 * by grpc-xds but fails every RPC).
 */
package io.meshwarden.sidecar.route;
