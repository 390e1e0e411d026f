package io.meshwarden.verdict;

import java.time.Instant;

/**
 * One observed request or connection kept as an example of a would-deny or drift count: enough to
 * find it in a proxy's own logs. The path is kept without its query string, which may carry secrets.
 *
 * @param sourceAddress the downstream remote address, or null (a peer known only by certificate)
 * @param principal the peer certificate's URI SAN, or null (plaintext)
 * @param responseCode the HTTP status, 0 for TCP
 * @param details Envoy's {@code response_code_details} / {@code connection_termination_details}, or null
 * @param envoyShadow Envoy's shadow result as logged ({@code denied}, {@code allowed}, with the policy
 *     id when it named one), or null when the entry carried none (proxyless gRPC never does)
 */
public record Sample(Instant at, String sourceAddress, String principal, String method, String path,
    int responseCode, String details, String envoyShadow) {}
