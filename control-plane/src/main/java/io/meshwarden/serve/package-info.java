/**
 * Wiring of {@code meshwarden serve}: the cluster source, the store, the aggregator, the ALS and
 * xDS gRPC servers and the HTTP API, started in order and stopped in reverse. No logic of its own
 * beyond start-up replay of {@code --flows} files and readiness.
 */
package io.meshwarden.serve;
