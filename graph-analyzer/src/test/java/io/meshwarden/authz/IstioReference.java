package io.meshwarden.authz;

import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Workload;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixtures for tests written from Istio's reference pages: the workloads their examples name
 * (httpbin in foo and bar, myapi in ns1), policies given as YAML, requests built field by field.
 */
final class IstioReference {
  static final String WORKLOADS = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: httpbin, namespace: foo}
      spec:
        template:
          metadata: {labels: {app: httpbin, version: v1}}
          spec: {serviceAccountName: httpbin, containers: [{name: c, image: httpbin}]}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: other, namespace: foo}
      spec:
        template:
          metadata: {labels: {app: other}}
          spec: {containers: [{name: c, image: other}]}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: httpbin, namespace: bar}
      spec:
        template:
          metadata: {labels: {app: httpbin}}
          spec: {containers: [{name: c, image: httpbin}]}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: other, namespace: bar}
      spec:
        template:
          metadata: {labels: {app: other, version: v1}}
          spec: {containers: [{name: c, image: other}]}
      """;

  private IstioReference() {}

  /** The workloads plus the policy documents; the policies start on line {@link #policyLine()}. */
  static ClusterModel model(String policies) {
    try {
      return new ManifestLoader(false).load("policy.yaml", new StringReader(WORKLOADS + "---\n" + policies)).model();
    } catch (ManifestException e) {
      throw new AssertionError(e);
    }
  }

  /** The line of the policies' first line in the combined file. */
  static int policyLine() {
    return (int) WORKLOADS.lines().count() + 2;
  }

  static Evaluation evaluate(String policies) {
    return evaluate(policies, TrustDomains.DEFAULT);
  }

  static Evaluation evaluate(String policies, TrustDomains td) {
    ClusterModel m = model(policies);
    return new Evaluation(m, AuthorizationPolicyEvaluator.of(m,
        new AuthorizationPolicyEvaluator.Options(td, AuthorizationPolicyEvaluator.ROOT_NAMESPACE)));
  }

  /** An evaluator over the fixture workloads. */
  record Evaluation(ClusterModel model, AuthorizationPolicyEvaluator evaluator) {
    Workload workload(String namespace, String name) {
      return model.workloads().stream().filter(w -> w.namespace().equals(namespace) && w.name().equals(name))
          .findFirst().orElseThrow();
    }

    /** An HTTP request to {@code ns/name:port} with every header known (none unless given). */
    AuthzRequest.Builder http(String namespace, String name, int port, String method, String path) {
      return AuthzRequest.to(workload(namespace, name), port).http(method, path).host("httpbin.foo")
          .headers(java.util.Map.of(), true).principal((String) null)
          .sourceIps(List.of(IpRange.parseCidr("10.9.9.9/32")));
    }

    /** A TCP connection to {@code ns/name:port}. */
    AuthzRequest.Builder tcp(String namespace, String name, int port) {
      return AuthzRequest.to(workload(namespace, name), port).tcp().principal((String) null)
          .sourceIps(List.of(IpRange.parseCidr("10.9.9.9/32")));
    }

    AuthzDecision decide(AuthzRequest.Builder r) {
      return evaluator.decide(r.build(), false);
    }

    Verdict verdict(AuthzRequest.Builder r) {
      return decide(r).verdict();
    }

    List<String> diagnostics() {
      List<String> out = new ArrayList<>();
      evaluator.diagnostics().forEach(d -> out.add(d.toString()));
      return out;
    }
  }

  /** A principal as Istio writes it, under the default trust domain. */
  static String sa(String namespace, String name) {
    return "cluster.local/ns/" + namespace + "/sa/" + name;
  }
}
