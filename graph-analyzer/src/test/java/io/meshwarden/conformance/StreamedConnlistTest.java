package io.meshwarden.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwarden.connectivity.Connection;
import io.meshwarden.connectivity.Connectivity;
import io.meshwarden.connectivity.ConnectivityAnalyzer;
import io.meshwarden.connectivity.Focus;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.ClusterModel;
import io.meshwarden.report.ConnlistFormat;
import io.meshwarden.report.ConnlistRenderer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The streamed connectivity list (what {@code meshwarden connectivity} prints) is byte for byte the
 * list rendered from every connection collected and sorted in memory, in every format and with
 * every focus of np-guard's suite: streaming changes the memory, not the output.
 */
class StreamedConnlistTest {
  @TestFactory
  Stream<DynamicTest> streamedEqualsCollected() throws Exception {
    return NpGuardSuite.connlistCases().stream()
        .filter(c -> c.analysis().equals("connlist") && !c.multiNetwork())
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
          ClusterModel model = new ManifestLoader(true)
              .load(List.of(NpGuardSuite.ROOT.resolve(c.testDir()).toString())).model();
          Focus.FocusConnection fc = c.focusConn().isEmpty() ? null : Focus.FocusConnection.parse(c.focusConn());
          Focus focus = new Focus(c.focusWorkloads(), c.focusPeers(),
              c.focusDirection().isEmpty() ? null : c.focusDirection(), fc);
          Connectivity connectivity = ConnectivityAnalyzer.analyze(model);
          List<Connection> collected = connectivity.connections().stream().filter(focus::keeps).toList();
          for (ConnlistFormat format : ConnlistFormat.values()) {
            String expected = fc != null ? ConnlistRenderer.renderFocusConnection(collected, fc)
                : ConnlistRenderer.render(collected, format);
            assertEquals(expected, NpGuardSuite.streamed(connectivity, focus, format), c.testDir() + " " + format);
          }
        }));
  }
}
