package io.meshwarden.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.model.IpRange;
import io.meshwarden.model.Workload;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Istio's "Authorization → HTTP traffic" task on Bookinfo, step by step, with the effect the task
 * documents after each step; plus the rule-level matching semantics.
 */
class AuthorizationPolicyEvaluatorTest {
  private static final Path BOOKINFO = Path.of("../manifests/examples/istio-bookinfo/upstream/samples/bookinfo/platform/kube/bookinfo.yaml");
  private static final Path POLICIES = Path.of("../manifests/examples/istio-bookinfo/authorization-policies/bookinfo-authz-http.yaml");

  /** The policy documents in file order. */
  private static List<String> policyDocs() throws Exception {
    List<String> out = new ArrayList<>();
    for (String doc : Files.readString(POLICIES).split("(?m)^---\\s*$")) {
      if (doc.contains("kind: AuthorizationPolicy")) {
        out.add(doc);
      }
    }
    return out;
  }

  private static ClusterModel withFirst(int n) throws Exception {
    StringBuilder sb = new StringBuilder(Files.readString(BOOKINFO));
    List<String> docs = policyDocs();
    for (int i = 0; i < n; i++) {
      sb.append("\n---\n").append(docs.get(i));
    }
    return new ManifestLoader(false).load("bookinfo+policies.yaml", new StringReader(sb.toString())).model();
  }

  private static boolean get(ClusterModel m, String fromSa, String to) {
    Workload dst = m.workloads().stream().filter(w -> w.name().equals(to)).findFirst().orElseThrow();
    AuthzRequest r = AuthzRequest.to(dst, 9080).http("GET", "/").host("x").headers(Map.of(), true)
        .principal(fromSa == null ? null : "cluster.local/ns/default/sa/" + fromSa)
        .sourceIps(List.of(IpRange.parseCidr("10.0.0.9/32"))).build();
    return AuthorizationPolicyEvaluator.of(m, w -> { }).decide(r, false).allowed();
  }

  @Test
  void step1_allowNothingDeniesEverything() throws Exception {
    ClusterModel m = withFirst(1);
    assertFalse(get(m, null, "productpage-v1"));
    assertFalse(get(m, "bookinfo-productpage", "details-v1"));
    assertFalse(get(m, "bookinfo-reviews", "ratings-v1"));
  }

  @Test
  void step2_productpageViewerOpensOnlyTheProductPage() throws Exception {
    ClusterModel m = withFirst(2);
    assertTrue(get(m, null, "productpage-v1"));
    assertFalse(get(m, "bookinfo-productpage", "details-v1"));
    assertFalse(get(m, "bookinfo-productpage", "reviews-v1"));
  }

  @Test
  void step4_theFullAppWorksAndEveryOtherEdgeStaysDenied() throws Exception {
    ClusterModel m = withFirst(6);
    assertTrue(get(m, null, "productpage-v1"));
    assertTrue(get(m, "bookinfo-productpage", "details-v1"));
    assertTrue(get(m, "bookinfo-productpage", "reviews-v2"));
    assertTrue(get(m, "bookinfo-reviews", "ratings-v1"));
    assertFalse(get(m, "bookinfo-details", "ratings-v1"));
    assertFalse(get(m, "bookinfo-ratings", "reviews-v1"));
    assertFalse(get(m, "bookinfo-reviews", "details-v1"));
    Workload details = m.workloads().stream().filter(w -> w.name().equals("details-v1")).findFirst().orElseThrow();
    AuthzDecision post = AuthorizationPolicyEvaluator.of(m, w -> { }).decide(AuthzRequest.to(details, 9080)
        .http("POST", "/").principal("cluster.local/ns/default/sa/bookinfo-productpage").build(), false);
    assertFalse(post.allowed(), "GET only");
    assertTrue(post.toString().contains("AuthorizationPolicy default/"), post.toString());
  }

  @Test
  void denyBeatsAllow_andDryRunPoliciesAreNotEnforced() throws Exception {
    String base = Files.readString(BOOKINFO);
    String deny = "\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: no-post\n"
        + "  namespace: default\n  annotations: {istio.io/dry-run: \"true\"}\nspec:\n  action: DENY\n  rules:\n"
        + "  - to: [{operation: {methods: [POST], paths: [\"/admin*\"]}}]\n";
    ClusterModel m = new ManifestLoader(false).load("x.yaml", new StringReader(base + deny)).model();
    Workload pp = m.workloads().stream().filter(w -> w.name().equals("productpage-v1")).findFirst().orElseThrow();
    AuthorizationPolicyEvaluator e = AuthorizationPolicyEvaluator.of(m, w -> { });
    AuthzRequest admin = AuthzRequest.to(pp, 9080).http("POST", "/admin/users").principal((String) null).build();
    assertTrue(e.decide(admin, false).allowed(), "dry-run: not enforced");
    AuthzDecision d = e.decide(admin, true);
    assertFalse(d.allowed());
    assertEquals(1, d.rule());
    assertTrue(e.decide(AuthzRequest.to(pp, 9080).http("POST", "/login").principal((String) null).build(), true)
        .allowed());
  }

  @Test
  void globs() {
    assertTrue(Patterns.string("*", "x", false));
    assertFalse(Patterns.string("*", "", false), "presence needs a non-empty value");
    assertTrue(Patterns.string("/api/*", "/api/v1", false));
    assertTrue(Patterns.string("*.example.com", "a.example.com", false));
    assertFalse(Patterns.string("/api", "/api/v1", false));
  }
}
