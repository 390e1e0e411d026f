package io.meshwarden.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.meshwarden.aggregate.LiveAggregator;
import io.meshwarden.bench.SyntheticCluster;
import io.meshwarden.bench.SyntheticManifests;
import io.meshwarden.index.LiveIndex;
import io.meshwarden.index.ManifestSource;
import io.meshwarden.serve.ServeRuntime;
import io.meshwarden.store.SqliteStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI benchmark (docs/benchmarks.md): synthetic clusters of N workloads (100 per namespace,
 * N/10 NetworkPolicies, 5 Hubble flow lines per workload) served by {@code serve}'s runtime, opened
 * in Debian's headless Chromium. Measured in the page: time from navigation to the first
 * interactive render (graph drawn, handlers installed), and time to focus a workload (its
 * namespace expanded and fetched, its neighbourhood fetched, drawn and centred). The server's
 * caches are warmed first (first overview and findings timed separately). Sizes from
 * {@code -Dmeshwarden.bench.ui=300,1000,3000,10000}; by default only 300, as a check that the tool
 * runs, with a loose bound. Results go to stdout and {@code target/ui-bench.md}.
 */
class UiBenchmarkIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void firstRenderAndFocus_atEachSize(@TempDir Path dir) throws Exception {
    String sizes = System.getProperty("meshwarden.bench.ui", "300");
    List<String> rows = new ArrayList<>();
    rows.add("| workloads | namespaces | server: first overview | server: first findings | first interactive render"
        + " | focus a workload | nodes drawn at first render | expand all namespaces | after a pod change: overview,"
        + " namespace, neighbourhood |");
    rows.add("|---|---|---|---|---|---|---|---|---|");
    ChromeDriver driver = Browser.open("UiBenchmarkIT", dir.resolve("profile"), 1600, 1000);
    try {
      for (String s : sizes.split(",")) {
        int n = Integer.parseInt(s.strip());
        rows.add(measure(driver, dir.resolve("n" + n), n));
        System.out.println(rows.get(rows.size() - 1));
      }
    } finally {
      driver.quit();
    }
    String table = String.join("\n", rows) + "\n";
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/ui-bench.md"), table);
    System.out.println(table);
  }

  private String measure(ChromeDriver driver, Path dir, int n) throws Exception {
    int namespaces = Math.max(1, n / 100);
    SyntheticCluster.Spec spec = new SyntheticCluster.Spec(namespaces, n, n / 10, 0.3, 42);
    Files.createDirectories(dir);
    Path cluster = dir.resolve("cluster.yaml");
    Path policies = dir.resolve("policies.yaml");
    Path flows = dir.resolve("flows.json");
    SyntheticManifests.writeCluster(spec, cluster);
    var model = SyntheticCluster.generate(spec);
    SyntheticManifests.writePolicies(model.networkPolicies(), policies);
    SyntheticManifests.writeFlows(model, 5L * n, 42, flows);
    LiveIndex index = new LiveIndex(LiveIndex.Options.defaults());
    ManifestSource.load(index, List.of(cluster.toString(), policies.toString()), "default",
        java.io.InputStream.nullInputStream());
    StringWriter log = new StringWriter();
    Path state = Files.createDirectories(dir.resolve("state"));
    try (ServeRuntime rt = ServeRuntime.start(index, index.flush(), SqliteStore.open(state),
        new ServeRuntime.Options(List.of(flows.toString()), state, "127.0.0.1", 0, 0, 0, "cluster.local",
            new LiveAggregator.Settings(1 << 20, Duration.ofDays(3650), Duration.ofSeconds(2), Clock.systemUTC()),
            "bench"), new PrintWriter(log, true), new PrintWriter(log, true))) {
      assertTrue(rt.awaitReady(Duration.ofMinutes(10)), log.toString());
      String base = "http://127.0.0.1:" + rt.httpPort();
      long t0 = System.nanoTime();
      assertEquals(200, get(base + "/api/v1/graph/overview").statusCode());
      double overview = (System.nanoTime() - t0) / 1e9;
      t0 = System.nanoTime();
      assertEquals(200, get(base + "/api/v1/findings").statusCode());
      double findings = (System.nanoTime() - t0) / 1e9;
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofMinutes(5));
      driver.get(base + "/ui/");
      wait.until(ExpectedConditions.attributeToBeNotEmpty(driver.findElement(By.tagName("body")), "data-interactive"));
      double firstRender = Double.parseDouble(driver.findElement(By.tagName("body")).getAttribute("data-interactive"));
      JavascriptExecutor js = driver;
      long drawn = (Long) js.executeScript("return document.querySelectorAll('#nodes g.node, #groups g.group').length");
      // A workload in the middle of the cluster, in a namespace that is collapsed at this size.
      var w = model.workloads().get(n / 2);
      String target = w.namespace() + "/" + w.name() + "[" + w.kind() + "]";
      Object focus = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
          + "const t = performance.now(); selectWorkload(arguments[0]).then(() => done(performance.now() - t),"
          + " e => done('error: ' + e.message));", target);
      assertTrue(focus instanceof Number, "focus: " + focus);
      assertEquals(target, driver.findElement(By.tagName("body")).getAttribute("data-focused"));
      double focusMs = ((Number) focus).doubleValue();
      // Every namespace expanded: every workload and edge drawn at once (the worst case of reading).
      Object expand = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
          + "const t = performance.now(); document.getElementById('expand-all').click();"
          + "const poll = () => { if (document.querySelectorAll('#groups g.group.collapsed').length === 0"
          + " && document.querySelectorAll('#nodes g.node').length >= arguments[0]) done(performance.now() - t);"
          + " else setTimeout(poll, 20); }; poll();", n);
      double expandMs = ((Number) expand).doubleValue();
      if (System.getProperty("meshwarden.bench.ui") == null) {
        assertTrue(firstRender < 20_000 && focusMs < 20_000, "the tool ran: " + firstRender + " / " + focusMs + " ms");
      }
      // A pod of that workload starts: a status change, the policy model untouched. The graph
      // views are asked again, as the page does when the change event arrives.
      long before = index.current().version();
      index.apply(pod(w, "10.250.0.9"));
      index.flush().get();
      assertTrue(index.current().version() > before, "the pod changed the snapshot");
      String[] views = {"/api/v1/graph/overview", "/api/v1/namespaces/" + w.namespace() + "/graph",
          "/api/v1/namespaces/" + w.namespace() + "/workloads/" + w.name() + "/graph"};
      double[] afterPod = new double[views.length];
      for (int i = 0; i < views.length; i++) {
        t0 = System.nanoTime();
        HttpResponse<String> r = get(base + views[i]);
        afterPod[i] = (System.nanoTime() - t0) / 1e6;
        assertEquals(200, r.statusCode(), views[i] + ": " + r.body());
        assertTrue(r.body().contains("\"clusterVersion\":" + index.current().version()), views[i] + " answers the new snapshot");
      }
      return String.format(Locale.ROOT, "| %,d | %d | %.2f s | %.2f s | %.0f ms | %.0f ms | %d | %.0f ms"
          + " | %.0f / %.0f / %.0f ms |", n, namespaces, overview, findings, firstRender, focusMs, drawn, expandMs,
          afterPod[0], afterPod[1], afterPod[2]);
    }
  }

  /** A running pod of {@code w} (a Deployment's, through its ReplicaSet) at {@code ip}. */
  private static Pod pod(io.meshwarden.model.Workload w, String ip) {
    Map<String, String> labels = new HashMap<>(w.podLabels());
    labels.put("pod-template-hash", "5d4f");
    return new PodBuilder().withNewMetadata().withNamespace(w.namespace()).withName(w.name() + "-5d4f-x1")
        .withLabels(labels).withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1")
            .withKind("ReplicaSet").withName(w.name() + "-5d4f").withUid("rs-" + w.name()).withController(true).build())
        .endMetadata().withNewSpec().withServiceAccountName(w.serviceAccount())
        .withContainers(new ContainerBuilder().withName("app").withImage("app:1").build()).endSpec()
        .withNewStatus().withPhase("Running").withPodIP(ip).endStatus().build();
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
