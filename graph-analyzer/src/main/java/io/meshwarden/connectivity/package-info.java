/**
 * Analysis: what policy allows. Workloads fold into peer classes; policies compile into bit sets ({@code PolicyIndex}); {@code TieredPolicyEvaluator} applies AdminNetworkPolicy, NetworkPolicy, BaselineAdminNetworkPolicy and the default per direction; {@code Explainer} traces the same order.
 */
package io.meshwarden.connectivity;
