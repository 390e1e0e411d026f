package io.meshwarden.cli;

import io.meshwarden.authz.AuthorizationPolicyEvaluator;
import io.meshwarden.authz.TrustDomains;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The mesh settings Istio authorization depends on, shared by the commands that evaluate it. */
final class IstioOptions {
  @Option(names = "--trust-domain", defaultValue = TrustDomains.CLUSTER_LOCAL,
      description = "The mesh's SPIFFE trust domain (default: ${DEFAULT-VALUE}).")
  String trustDomain;

  @Option(names = "--trust-domain-alias", paramLabel = "DOMAIN",
      description = "Another trust domain treated as the mesh's own (Istio's trustDomainAliases); cluster.local in a"
          + " policy's principals means the trust domain and every alias. Repeatable.")
  List<String> trustDomainAliases = new ArrayList<>();

  @Option(names = "--istio-root-namespace", defaultValue = AuthorizationPolicyEvaluator.ROOT_NAMESPACE,
      description = "Istio's root namespace, whose AuthorizationPolicies apply mesh-wide (default: ${DEFAULT-VALUE}).")
  String rootNamespace;

  AuthorizationPolicyEvaluator.Options options() {
    return new AuthorizationPolicyEvaluator.Options(new TrustDomains(trustDomain, trustDomainAliases), rootNamespace);
  }
}
