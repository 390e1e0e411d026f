/**
 * Checks every generated resource before anything may use it: the protoc-gen-validate rules the
 * Envoy protos carry (read from their descriptors, since the api jar ships no generated
 * validators), then our own constraints (router last, ports in range, no empty RBAC policies, no
 * CEL, unique filter chain matches, clusters that exist, and grpc-xds's listener rules). Failures
 * are returned as a list of messages; nothing throws.
 */
package io.meshwarden.sidecar.validate;
