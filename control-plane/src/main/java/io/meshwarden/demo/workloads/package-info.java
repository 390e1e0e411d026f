/**
 * The simulated Online Boutique of {@code meshwarden demo --workloads}: its services as real
 * proxyless gRPC servers (grpc-xds {@code XdsServerBuilder}) that take their listener and RBAC from
 * the control plane's ADS server and report every inbound call to its ALS receiver as an Envoy
 * sidecar would, a load generator calling them along the app's call graph, and an intruder making
 * one call the app never makes. Everything here is simulated (the handlers return a few bytes, no
 * shop runs); the xDS, RBAC and ALS paths it exercises are the real ones. Entry point:
 * {@link io.meshwarden.demo.workloads.DemoWorkloads}.
 */
package io.meshwarden.demo.workloads;
