/**
 * State: observed traffic, resolved to workloads or external peers and aggregated into edges (count, bytes, first and last seen).
 */
package io.meshwarden.traffic;
