package io.meshwarden.conformance;

import io.meshwarden.connectivity.Connection;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.connectivity.Focus;
import io.meshwarden.exposure.ExposureAnalyzer;
import io.meshwarden.exposure.ExposureReport;
import io.meshwarden.ingest.manifest.LoadResult;
import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.report.ConnlistFormat;
import io.meshwarden.report.ConnlistRenderer;
import io.meshwarden.report.ExposureRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads np-guard netpol-analyzer's test matrix (copied into test resources) and runs its cases. */
final class NpGuardSuite {
  /** The suite's copy; {@code -Dnpguard.root=DIR} points the tests at another checkout of the same layout. */
  static final Path ROOT = Path.of(System.getProperty("npguard.root", "src/test/resources/np-guard-netpol-analyzer"));

  /** One connlist/exposure run of the matrix. */
  record Case(String testDir, String analysis, String format, List<String> focusWorkloads,
      List<String> focusPeers, String focusDirection, String focusConn, boolean multiNetwork, String expected) {

    String name() {
      return expected.substring(expected.lastIndexOf('/') + 1);
    }
  }

  /** One malformed-input case: the inputs and the text the error must contain. */
  record ErrorCase(String name, String input, String contains, boolean fatal, List<String> focusWorkloads) {}

  private NpGuardSuite() {}

  static JsonNode matrix() throws IOException {
    return JsonMapper.builder().build().readTree(Files.readString(ROOT.resolve("cases.json")));
  }

  static List<Case> connlistCases() throws IOException {
    List<Case> out = new ArrayList<>();
    for (JsonNode n : matrix().get("connlist")) {
      out.add(new Case(n.get("testDir").asString(), n.get("analysis").asString(), n.get("outputFormat").asString(),
          strings(n.get("focusWorkloads")), strings(n.get("focusWorkloadPeers")),
          n.get("focusDirection").asString(), n.get("focusConn").asString(),
          n.get("multipleNetworksEnabled").asBoolean(), n.get("expectedOutput").asString()));
    }
    return out;
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n != null) {
      n.forEach(x -> out.add(x.asString()));
    }
    return out;
  }

  /** Runs a case the way {@code meshwarden connectivity} does and returns the rendered output. */
  static String run(Case c) throws ManifestException {
    return run(c, ROOT.resolve(c.testDir()));
  }

  /** Runs a case over the manifests of {@code dir} instead of the case's own directory. */
  static String run(Case c, Path dir) throws ManifestException {
    LoadResult loaded = new ManifestLoader(true).multiNetwork(c.multiNetwork())
        .load(List.of(dir.toString()));
    Focus.FocusConnection fc = c.focusConn().isEmpty() ? null : Focus.FocusConnection.parse(c.focusConn());
    Focus focus = new Focus(c.focusWorkloads(), c.focusPeers(),
        c.focusDirection().isEmpty() ? null : c.focusDirection(), fc);
    boolean exposure = c.analysis().equals("exposure") && ExposureAnalyzer.applies(focus);
    Connectivity connectivity = ConnectivityAnalyzer.analyze(loaded.model(), exposure);
    if (!focus.workloads().isEmpty()
        && Focus.missing(focus.workloads(), loaded.model().workloads()).size() == focus.workloads().size()) {
      return ""; // np-guard reports nothing when none of the focus workloads exists
    }
    if (!exposure && !connectivity.multiNetwork()) {
      return streamed(connectivity, focus, ConnlistFormat.parse(c.format()));
    }
    List<Connection> conns = connectivity.connections().stream().filter(focus::keeps).toList();
    if (exposure) {
      ExposureReport report = ExposureAnalyzer.analyze(loaded.model(), connectivity, focus, conns);
      return ExposureRenderer.render(conns, report, ConnlistFormat.parse(c.format()), fc);
    }
    if (fc != null) {
      return ConnlistRenderer.renderFocusConnection(conns, fc, connectivity);
    }
    return ConnlistRenderer.render(conns, ConnlistFormat.parse(c.format()), connectivity);
  }

  /** What the command streams for a connectivity list on the pod network. */
  static String streamed(Connectivity connectivity, Focus focus, ConnlistFormat format) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      io.meshwarden.report.ConnlistWriter.write(connectivity, focus, format, out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  static String expected(Case c) throws IOException {
    return Files.readString(ROOT.resolve(c.expected()));
  }

  /** The case's output equals its golden file, as sorted non-blank lines. */
  static void assertTxt(Case c) throws Exception {
    org.junit.jupiter.api.Assertions.assertEquals(normalise(expected(c) + "\n" + ipv6Lines(c)), normalise(run(c)),
        c.testDir());
  }

  /**
   * Where we knowingly differ from np-guard: it ignores IPv6 CIDRs (with a warning), we analyse
   * them, so a case whose policies name IPv6 networks has np-guard's lines plus the IPv6 lines in
   * {@code src/test/resources/np-guard-ipv6/<expected file>}, worked out by hand from the policies.
   */
  static String ipv6Lines(Case c) throws IOException {
    Path extra = Path.of("src/test/resources/np-guard-ipv6").resolve(c.name());
    return Files.exists(extra) ? Files.readString(extra) : "";
  }

  /** Non-blank lines, sorted: np-guard's own comparison ignores line breaks, we ignore order. */
  static List<String> normalise(String text) {
    return text.lines().map(String::stripTrailing).filter(l -> !l.isBlank()).sorted().toList();
  }
}
