package io.meshwarden.conformance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.meshwarden.connectivity.Connection;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.connectivity.Focus;
import io.meshwarden.ingest.manifest.LoadResult;
import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.ingest.manifest.ManifestLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * np-guard's malformed-input cases: the same inputs must be rejected (fatal) or reported
 * (warnings, skipped documents) with a message that says the same thing. Where np-guard's expected
 * text is a Go expression, {@link #ourWording} states what our message says instead.
 */
class NpGuardErrorCasesTest {
  private static final Tally TALLY = new Tally("np-guard error/warning cases");
  /**
   * np-guard warns that it ignores IPv6 networks; we analyse them instead (a deliberate divergence,
   * see {@link NpGuardSuite#ipv6Lines}), so where it expects that warning we expect IPv6 external
   * peers in the connectivity.
   */
  static final String IPV6_ANALYSED = "(IPv6 networks analysed)";
  /**
   * np-guard refuses a Namespace declared twice with different content; we warn, naming both
   * places, and use the later one (as {@code kubectl apply} would), because the common layout
   * {@code -f app -f app-policies} declares the Namespace in both. Issue 8 asks for this.
   */
  private static final String NS_DECLARED_TWICE = "NSWithSameNameError";

  /** np-guard message constructors → the phrase our message carries. */
  static String ourWording(String expected) {
    if (!expected.startsWith("GO_EXPR:")) {
      return expected;
    }
    String expr = expected.substring("GO_EXPR:".length()).trim();
    Matcher args = Pattern.compile("\"([^\"]*)\"(?:,\\s*(\\d+))?").matcher(expr);
    boolean found = args.find();
    String arg = found ? args.group(1) : "";
    String num = found && args.group(2) != null ? args.group(2) : "";
    String multiNetwork = multiNetworkWording(expr);
    if (multiNetwork != null) {
      return multiNetwork;
    }
    Map<String, String> phrases = Map.of(
        "SelectorErrTitle", "selector error",
        "NotSupportedPodResourcesErrorStr", "Found Pods of the same owner workload `" + arg + "`",
        "PriorityErrExplain", "have the same priority",
        "ANPsWithSameNameErr", "the same name \"" + arg + "\"",
        "PriorityValueErr", "invalid priority " + num,
        NS_DECLARED_TWICE, arg,
        "WorkloadDoesNotExistErrStr", "workload " + arg + " does not exist",
        "WarnUnsupportedNodesField", "nodes peers are not supported",
        "WarnUnsupportedIPv6Address", IPV6_ANALYSED);
    for (Map.Entry<String, String> e : phrases.entrySet()) {
      if (expr.contains(e.getKey())) {
        return e.getValue();
      }
    }
    throw new IllegalArgumentException("no wording for " + expected);
  }

  /**
   * np-guard's (C)UDN and VM alerts, by constructor name and arguments, as our loader words them.
   * A UDN is {@code ns/name}, a CUDN its name.
   */
  private static String multiNetworkWording(String expr) {
    Matcher call = Pattern.compile("alerts\\.(\\w+)\\((.*)\\)").matcher(expr);
    if (!call.find()) {
      return null;
    }
    List<String> a = new ArrayList<>();
    Matcher quoted = Pattern.compile("\"([^\"]*)\"").matcher(call.group(2));
    while (quoted.find()) {
      a.add(quoted.group(1));
    }
    return switch (call.group(1)) {
      case "InvalidKeyValue" -> a.get(0) + ": invalid value \"" + a.get(2) + "\" for " + a.get(1);
      case "DisMatchLayerConfiguration" -> a.get(0) + ": topology " + a.get(1) + " does not match the layer configuration";
      case "UDNNameAssertion" -> a.get(0) + ": a UserDefinedNetwork must not be named default";
      case "UDNNamespaceAssertion" -> a.get(0) + ": assigns namespace " + a.get(1) + " a primary network";
      case "OnePrimaryUDNAssertion" -> a.get(2) + ": namespace " + a.get(0) + " already has primary network " + a.get(1);
      case "MutualExclusiveWithCUDNOnEntireCluster" -> a.get(0)
          + ": selects all namespaces while some of them already have a primary network";
      case "NotSupportedUDNRole" -> a.get(0) + " is ignored: secondary (cluster) user-defined networks are not supported";
      case "WarnMissingNamespaceOfUDN" -> a.get(1) + "/" + a.get(0) + " is ignored: namespace " + a.get(1)
          + " does not exist";
      case "WarnNamespaceDoesNotSupportUDN" -> a.get(1) + "/" + a.get(0) + " is ignored: namespace " + a.get(1)
          + " lacks the k8s.ovn.org/primary-user-defined-network label";
      case "WarnCudnSelectsNsWithoutPrimaryUDNLabel" -> a.get(0) + ": namespace " + a.get(1)
          + " is not added: it lacks the k8s.ovn.org/primary-user-defined-network label";
      case "EmptyCUDN" -> a.get(0) + " is ignored: it selects no namespace";
      case "WarnIgnoredVirtLauncherPod" -> "skipped virt-launcher pod " + a.get(0);
      default -> null;
    };
  }

  @TestFactory
  Stream<DynamicTest> errorAndWarningCases() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : NpGuardSuite.matrix().get("error_and_warning_cases")) {
      String name = c.get("name").asString();
      String upstream = c.get("upstreamTest").asString();
      String input = NpGuardSuite.ROOT.resolve(c.get("input").asString()).toString();
      tests.add(TALLY.test(name, () -> check(c, upstream, input)));
    }
    return tests.stream();
  }

  private static void check(JsonNode c, String upstream, String input) {
    boolean multiNetwork = c.has("multipleNetworksEnabled") && c.get("multipleNetworksEnabled").asBoolean();
    if (c.has("errorStrContains") && c.get("errorStrContains").asString().contains(NS_DECLARED_TWICE)) {
      String ns = ourWording(c.get("errorStrContains").asString());
      try {
        LoadResult r = new ManifestLoader(false).multiNetwork(multiNetwork).load(List.of(input));
        assertTrue(r.warnings().stream().anyMatch(w -> w.code().equals(ManifestLoader.DECLARED_TWICE)
            && w.message().contains("Namespace " + ns + " is also declared at ")
            && w.message().contains("with different content; the later declaration is used")), r.warnings().toString());
      } catch (ManifestException e) {
        throw new AssertionError("a Namespace declared twice is a warning, not: " + e.getMessage(), e);
      }
      return;
    }
    if (c.has("errorStrContains") && !upstream.equals("TestErrorsAndWarningsConnlistFromDirPathOnly")) {
      String want = ourWording(c.get("errorStrContains").asString());
      try {
        LoadResult r = new ManifestLoader(false).multiNetwork(multiNetwork).load(List.of(input));
        ConnectivityAnalyzer.analyze(r.model());
        fail("expected a fatal error containing \"" + want + "\" for " + input
            + (multiNetwork ? " (multi-network input)" : ""));
      } catch (ManifestException e) {
        assertContains(e.getMessage(), want);
        assertTrue(e.getMessage().contains(input) || e.getMessage().startsWith(input),
            "error names the file: " + e.getMessage());
      }
      return;
    }
    LoadResult r;
    try {
      r = new ManifestLoader(true).multiNetwork(multiNetwork).load(List.of(input));
    } catch (ManifestException e) {
      throw new AssertionError("non-fatal case failed: " + e.getMessage(), e);
    }
    List<String> messages = new ArrayList<>(r.errors().stream().map(Object::toString).toList());
    r.warnings().forEach(w -> messages.add(w.toString()));
    r.skippedKinds().keySet().forEach(k -> messages.add("skipped objects of kind " + k));
    var connectivity = ConnectivityAnalyzer.analyze(r.model());
    List<Connection> all = connectivity.connections();
    connectivity.warnings().forEach(w -> messages.add(w.toString()));
    List<String> focus = strings(c.get("focusWorkloads"));
    List<String> peers = strings(c.get("focusWorkloadPeers"));
    String direction = c.has("focusDirection") ? c.get("focusDirection").asString() : null;
    if (!focus.isEmpty()) {
      Focus.missing(focus, r.model().workloads()).forEach(m -> messages.add("workload " + m + " does not exist"));
      Focus.missing(peers, r.model().workloads()).forEach(m -> messages.add("workload " + m + " does not exist"));
    }
    List<String> wanted = new ArrayList<>();
    if (c.has("errorStrContains")) {
      wanted.add(c.get("errorStrContains").asString());
    }
    if (c.has("firstErrStrContains")) {
      wanted.add(c.get("firstErrStrContains").asString());
    }
    if (c.has("expectedWarningsStrContains")) {
      c.get("expectedWarningsStrContains").forEach(w -> wanted.add(w.asString()));
    }
    for (String w : wanted) {
      String phrase = translateNonFatal(ourWording(w));
      if (phrase.equals(IPV6_ANALYSED)) {
        assertTrue(all.stream().anyMatch(x -> x.dst() instanceof io.meshwarden.connectivity.Peer.ExternalPeer e
            && e.range().isIpv6()), "IPv6 networks are analysed, not ignored");
        continue;
      }
      assertTrue(messages.stream().anyMatch(m -> m.toLowerCase(Locale.ROOT).contains(phrase.toLowerCase(Locale.ROOT))),
          "expected a message containing \"" + phrase + "\" in " + messages);
    }
    if (c.has("emptyRes")) {
      Focus f = new Focus(focus, peers, direction == null || direction.isEmpty() ? null : direction, null);
      List<Connection> kept = all.stream().filter(f::keeps).toList();
      if (c.get("emptyRes").asBoolean()) {
        assertTrue(kept.isEmpty(), "expected an empty result, got " + kept.size());
      } else {
        assertFalse(kept.isEmpty(), "expected a non-empty result");
      }
    }
  }

  /** np-guard words some non-fatal conditions in Go terms; these are ours. */
  private static String translateNonFatal(String phrase) {
    return switch (phrase) {
      case "cannot restore slice from map" -> "spec.containers[0].ports: expected a list, got a mapping";
      case "cannot unmarshal array into Go value of type unstructured.detector" -> "not a Kubernetes object";
      case "skipping object with type: NetworkAttachmentDefinition" -> "NetworkAttachmentDefinition";
      default -> phrase;
    };
  }

  private static void assertContains(String message, String want) {
    assertTrue(message.toLowerCase(Locale.ROOT).contains(want.toLowerCase(Locale.ROOT)),
        "expected \"" + want + "\" in: " + message);
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n != null) {
      n.forEach(x -> out.add(x.asString()));
    }
    return out;
  }

  @AfterAll
  static void report() {
    TALLY.report();
  }
}
