package io.meshwarden.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.cli.MeshwardenCommandTestAccess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-contained HTML report, opened in Debian's headless Chromium: its script must draw one
 * circle per graph node and one line per edge. CI installs Chromium and sets
 * {@code MESHWARDEN_REQUIRE_BROWSER}; elsewhere the test is skipped when there is no browser.
 */
class HtmlReportIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final String M = "../manifests/examples/online-boutique/";

  @Test
  void graphIsDrawnInTheBrowser(@TempDir Path dir) throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      if (System.getenv("MESHWARDEN_REQUIRE_BROWSER") != null) {
        throw new AssertionError("MESHWARDEN_REQUIRE_BROWSER is set but /usr/bin/chromium is missing");
      }
      String why = "no /usr/bin/chromium (apt-get install chromium); .ci/run installs it";
      // Surefire and Failsafe keep an abort's reason in their reports only; say it where it is seen.
      System.err.println("HtmlReportIT skipped: " + why);
      Assumptions.abort(why);
    }
    Path html = dir.resolve("report.html");
    int code = MeshwardenCommandTestAccess.run("analyze", "-f", M + "derived/kustomize-base+network-policies.rendered.yaml",
        "-f", M + "flows/endpointslices.yaml", "--flows", M + "flows/envoy-inbound-access-log.jsonl", "-q", "-o", "html",
        "--output-file", html.toString());
    assertEquals(0, code);
    Process p = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + dir.resolve("profile"), "--dump-dom", html.toUri().toString()))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium finished");
    assertTrue(dom.contains("<svg"), "the script drew the graph");
    // 12 workloads and the internet, in the summary table too.
    assertEquals(13, count(dom, "<circle"), "one circle per node");
    Matcher m = Pattern.compile("graph nodes / edges</th><td>(\\d+) / (\\d+)</td>").matcher(dom);
    assertTrue(m.find(), "summary row");
    assertEquals(Integer.parseInt(m.group(2)), count(dom, "<line"), "one line per edge");
    assertTrue(dom.contains("frontend[Deployment]"));
  }

  private static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
