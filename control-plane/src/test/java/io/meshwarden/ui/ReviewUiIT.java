package io.meshwarden.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.als.AlsClient;
import io.meshwarden.als.AlsMessages;
import io.meshwarden.demo.workloads.DemoWorkloads;
import io.meshwarden.serve.DemoRuntime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The review UI on {@code meshwarden demo}, in Debian's headless Chromium: the graph draws the
 * demo's workloads, a click on one opens its panel, the keyboard reaches the same, search focuses a
 * workload, and the namespace's mode control moves it to dry-run and shows the live dry-run. Each
 * test has its own browser and loads the page afresh; the tests that change a mode have their own
 * demo. A screenshot per step is kept under {@code control-plane/target/ui-screenshots/} (and one
 * named {@code FAILED-<test>} when a test fails).
 */
class ReviewUiIT {
  static final String FRONTEND = "default/frontend[Deployment]";
  static final String FRONTEND_SAN = "spiffe://cluster.local/ns/default/sa/frontend";
  static final String CART = "default/cartservice[Deployment]";
  static final String UNOBSERVED = "/hipstershop.CartService/DropEverything";
  static final String PAYMENT = "default/paymentservice[Deployment]";
  static final String CHARGE = "/hipstershop.PaymentService/Charge";

  @TempDir
  static Path shared;
  static DemoRuntime demo;
  static final StringWriter LOG = new StringWriter();

  @TempDir
  Path dir;
  UiSession ui;

  @RegisterExtension
  final AfterTestExecutionCallback failureShot = ctx -> {
    if (ctx.getExecutionException().isPresent() && ui != null) {
      ui.shot("FAILED-" + ctx.getRequiredTestMethod().getName());
    }
  };

  /** The browse tests read one demo and change nothing in it. */
  @BeforeAll
  static void startDemo() throws Exception {
    demo = DemoRuntime.start(new DemoRuntime.Options(shared.resolve("state"), "127.0.0.1", 0, 0, 0, 5, "test"),
        Duration.ofSeconds(50), new PrintWriter(LOG, true), new PrintWriter(LOG, true));
  }

  @AfterAll
  static void stopDemo() {
    if (demo != null) {
      demo.close();
    }
  }

  @BeforeEach
  void openBrowser() {
    ui = UiSession.open("ReviewUiIT", dir.resolve("profile"));
  }

  @AfterEach
  void closeBrowser() {
    if (ui != null) {
      ui.close();
    }
  }

  static By edge(String from, String to, String kind) {
    return By.cssSelector("#edges path.edge." + kind + "[data-source='" + from + "'][data-target='" + to + "']");
  }

  @Test
  void theGraphDrawsEveryDemoWorkloadAndSaysWhatIsSimulated() throws Exception {
    ui.load(demo);
    List<String> workloads = List.of("frontend", "cartservice", "checkoutservice", "productcatalogservice",
        "currencyservice", "paymentservice", "shippingservice", "emailservice", "recommendationservice", "adservice",
        "redis-cart", "loadgenerator");
    for (String w : workloads) {
      assertEquals(1, ui.driver().findElements(By.cssSelector("g.node[data-id='default/" + w + "[Deployment]']")).size(),
          w);
    }
    assertEquals(1, ui.driver().findElements(By.cssSelector("g.node[data-id='internet']")).size(), "the internet is a node");
    assertTrue(ui.driver().findElements(By.cssSelector("#edges path.edge.observed-allowed")).size() >= 10,
        "observed edges drawn");
    assertEquals(0, ui.driver().findElements(By.cssSelector("#edges path.edge.allowed-unobserved")).size(),
        "allowed-but-unobserved edges are hidden by default");
    // Findings are matched to their workloads: the frontend (an entry point) carries some.
    ui.await(d -> d.findElement(ui.node(FRONTEND)).getAttribute("class").contains("sev-"));
    WebElement notice = ui.driver().findElement(By.id("notice"));
    assertTrue(notice.isDisplayed() && notice.getText().startsWith("Simulated:") && notice.getText().contains("recorded"),
        notice.getText());
    ui.shot("01-graph");
  }

  @Test
  void aClickOnAWorkloadShowsItsFindingsProposalAndCoverage() throws Exception {
    ui.load(demo);
    ui.click(By.cssSelector("g.node[data-id='default/cartservice[Deployment]'] rect"));
    ui.await(ExpectedConditions.textToBe(By.id("panel-title"), "cartservice (Deployment)"));
    ui.await(ExpectedConditions.textToBePresentInElementLocated(By.id("panel"), "observed for"));
    ui.await(ExpectedConditions.textToBePresentInElementLocated(By.id("proposal"), "ingress"));
    String panel = ui.text(By.id("panel"));
    assertTrue(panel.contains("Findings ("), panel);
    assertTrue(panel.contains("NetworkPolicy default/cartservice"), panel);
    assertTrue(panel.matches("(?s).*rendered\\.yaml:\\d+.*"), "file:line shown: " + panel);
    assertTrue(panel.matches("(?s).*\\d+ flow\\(s\\), \\d{4}-\\d\\d-\\d\\dT.*"), "each rule's evidence: " + panel);
    assertTrue(panel.contains("Dry run"), panel);
    // The diff against what is enforced, grant by grant: nothing of ours is enforced in observe, so
    // every grant of the newest proposal is added, each with its rule's evidence and its flows.
    ui.await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#policy-diff table.grants")));
    String sides = ui.text(By.cssSelector("#policy-diff .diff-sides"));
    assertTrue(sides.matches("from no policy of meshwarden's to version [0-9a-f]{12}… \\(the newest proposal\\): [1-9]\\d* added, 0 removed, 0 unchanged"),
        sides);
    List<String> grant = ui.cells(By.cssSelector(
        "#policy-diff tr.grant[data-peer='" + FRONTEND + "'][data-path='/hipstershop.CartService/GetCart']"));
    assertEquals("+ added", grant.get(0), "a text mark, not only colour: " + grant);
    assertEquals("ingress TCP/7070", grant.get(1), grant.toString());
    assertTrue(grant.get(4).matches("[1-9]\\d* flow\\(s\\), \\d{4}-\\d\\d-\\d\\dT.* … \\d{4}-.*"), "rule evidence: " + grant);
    assertTrue(grant.get(5).matches("[1-9]\\d* flow\\(s\\), .*"), "observed for the grant: " + grant);
    assertTrue(ui.await(d -> d.findElement(ui.node("default/adservice[Deployment]")).getAttribute("class")).contains("dim"),
        "focus dims what is not a neighbour");
    ui.reveal(By.id("proposal"));
    ui.shot("02-workload");
  }

  @Test
  void theKeyboardWalksTheListAndOpensAWorkload() throws Exception {
    ui.load(demo);
    ui.click(By.cssSelector("#tree [role=treeitem][tabindex='0'] > span"));
    for (int i = 0; i < 40 && !FRONTEND.equals(ui.activeKey()); i++) {
      ui.keys(Keys.ARROW_DOWN);
    }
    assertEquals(FRONTEND, ui.activeKey());
    ui.keys(Keys.ENTER);
    ui.await(ExpectedConditions.textToBe(By.id("panel-title"), "frontend (Deployment)"));
    ui.await(ExpectedConditions.attributeToBe(By.tagName("body"), "data-focused", FRONTEND));
    ui.shot("03-keyboard");
  }

  @Test
  void searchFocusesAWorkloadAndItsNeighbours() throws Exception {
    ui.load(demo);
    WebElement search = ui.driver().findElement(By.id("search"));
    search.sendKeys("checkout");
    ui.await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#search-results li")));
    search.sendKeys(Keys.ENTER);
    ui.await(ExpectedConditions.attributeToBe(By.tagName("body"), "data-focused", "default/checkoutservice[Deployment]"));
    String edges = ui.await(d -> (String) ((JavascriptExecutor) d).executeScript(
        "return [...document.querySelectorAll('#edges path.edge:not(.dim)')].map(p => p.dataset.source + '>' + p.dataset.target).join(' ')"));
    assertTrue(edges.contains("default/checkoutservice[Deployment]>default/paymentservice[Deployment]"), edges);
    ui.shot("04-search-focus");
  }

  /**
   * The namespace's mode control: dry-run through the approval dialog (which shows the proposal
   * version and the dry-run verdict), then the live dry-run's report in the panel: the version in
   * the shadow rules, how many of the demo's live flows it judged and would allow or deny.
   */
  @Test
  void movingTheNamespaceToDryRunShowsItsLiveReport() throws Exception {
    StringWriter log = new StringWriter();
    try (DemoRuntime own = DemoRuntime.start(new DemoRuntime.Options(dir.resolve("state"), "127.0.0.1", 0, 0, 0, 20,
        "test"), Duration.ofSeconds(50), new PrintWriter(log, true), new PrintWriter(log, true))) {
      ui.load(own);
      ui.selectNamespace("default");
      ui.await(ExpectedConditions.textToBePresentInElementLocated(By.id("dryrun"), "Observe mode: nothing is judged"));
      String dialog = ui.openModeDialog("dry-run");
      assertTrue(dialog.contains("Move default to dry-run") && dialog.matches("(?s).*proposal version [0-9a-f]{64}.*"),
          dialog);
      ui.shot("05-dry-run-approval");
      ui.confirmModeDialog("dry-run");

      // The live dry-run judges the demo's live traffic against the proposal in the shadow rules.
      String version = ui.await(d -> d.findElement(By.cssSelector("#dryrun .verdict")).getText()
          .replaceFirst("(?s)^would deny \\(version ([0-9a-f]{64})\\).*", "$1")).trim();
      assertTrue(version.matches("[0-9a-f]{64}"), ui.text(By.id("dryrun")));
      By row = By.cssSelector("#dryrun table.judged tr[data-layer=proposal][data-version='" + version + "']");
      // Cells: layer, version, judged, allowed, denied, seen; the demo replays 20 flows a second.
      List<String> cells = ui.await(d -> {
        List<String> c = UiSession.cells(d, row);
        return Long.parseLong(c.get(2)) >= 10 ? c : null;
      });
      assertEquals("proposal (shadow rules: would be)", cells.get(0), cells.toString());
      assertEquals(Long.parseLong(cells.get(2)), Long.parseLong(cells.get(3)) + Long.parseLong(cells.get(4)),
          "judged = allowed + denied: " + cells);
      assertTrue(ui.text(By.cssSelector("#graph g.group[data-group=default] .group-title")).contains("[dry-run]"));
      ui.await(ExpectedConditions.textToBePresentInElementLocated(By.id("audit"), "observe → dry-run"));

      // A call the proposal never saw, as cartservice's sidecar reports it: the pinned proposal
      // would deny it, in the report (with its deciding rule) and on the graph's edge.
      Instant now = Instant.now();
      AlsClient.send(own.serve().alsPort(), List.of(AlsMessages.message(AlsMessages.node("default",
          "cartservice-6b9d7c8f5-q2z", "cartservice", "10.8.0.12"), List.of(
              AlsMessages.http("10.8.0.12", 7070, "10.8.0.10", FRONTEND_SAN, "POST", UNOBSERVED, 200, now),
              AlsMessages.http("10.8.0.12", 7070, "10.8.0.10", FRONTEND_SAN, "POST", UNOBSERVED, 200, now)),
          List.of())));
      By wouldDeny = By.cssSelector("#dryrun [data-layer=would-deny] tr[data-peer='" + FRONTEND
          + "'][data-destination='" + CART + "'][data-path='" + UNOBSERVED + "']");
      List<String> flow = ui.cells(wouldDeny);
      assertEquals("7070 POST " + UNOBSERVED, flow.get(1), flow.toString());
      assertEquals("2", flow.get(2), flow.toString());
      assertTrue(flow.get(3).contains("cartservice"), "the deciding rule: " + flow);
      assertTrue(ui.text(By.cssSelector("#dryrun [data-layer=would-deny] .verdict"))
          .startsWith("would deny (version " + version + "): 2 flow(s)"), "against the pinned version");
      ui.await(ExpectedConditions.presenceOfElementLocated(edge(FRONTEND, CART, "would-deny")));
      ui.reveal(By.cssSelector("#dryrun [data-layer=would-deny]"));
      ui.shot("06-dry-run-report");
    }
  }

  /**
   * {@code demo --workloads}: the simulated Online Boutique serves from the control plane's xDS.
   * Dry-run pins the learned proposal and the intruder starts: its call (frontend to
   * paymentservice's Charge) is would-deny in the report. The approval dialog
   * refuses to enforce without a reason (the gate), enforces with one; then the intruder is denied
   * (drift in the report, the enforce-denied edge, the simulated intruder's status) while the app's
   * load keeps passing, and paymentservice's diff shows that the newest proposal learned the
   * intruder's call as a grant the enforced version does not have.
   */
  @Test
  void enforcingWithWorkloadsDeniesTheIntruderWhileTheAppKeepsWorking() throws Exception {
    StringWriter log = new StringWriter();
    PrintWriter w = new PrintWriter(log, true);
    try (DemoRuntime own = DemoRuntime.start(new DemoRuntime.Options(dir.resolve("state"), "127.0.0.1", 0, 0, 0, 0,
        "test"), Duration.ofSeconds(50), w, w)) {
      DemoWorkloads workloads = own.startWorkloads("127.0.0.1", w::println);
      // Before review, the proposal has learned every call of the app (its version stops moving).
      settle(own, workloads);
      ui.load(own);
      By intruder = By.cssSelector("#simulated-status .sim-intruder");
      ui.await(ExpectedConditions.textToBePresentInElementLocated(intruder, "waiting"));
      ui.selectNamespace("default");
      ui.openModeDialog("dry-run");
      ui.confirmModeDialog("dry-run");

      // Dry-run: the intruder calls, is let through, and its call is what the pin would deny.
      By wouldDeny = By.cssSelector("#dryrun [data-layer=would-deny] tr[data-peer='" + FRONTEND
          + "'][data-destination='" + PAYMENT + "'][data-path='" + CHARGE + "']");
      List<String> flow = ui.cells(wouldDeny);
      assertTrue(flow.get(3).contains("paymentservice"), "the deciding rule: " + flow);
      ui.await(d -> d.findElement(intruder).getText().matches("(?s).*: [1-9]\\d* call\\(s\\): [1-9]\\d* allowed, 0 denied.*"));
      ui.reveal(By.cssSelector("#dryrun [data-layer=would-deny]"));
      ui.shot("07-workloads-dry-run-intruder-would-deny");

      // Enforce through the dialog: the gate refuses without a reason, then takes the override.
      String dialog = ui.openModeDialog("enforce");
      assertTrue(dialog.matches("(?s).*approves proposal version [0-9a-f]{64} \\(the one the dry-run is pinned to\\).*"), dialog);
      assertTrue(dialog.matches("(?s).*dry-run verdict: [1-9]\\d* observed flow\\(s\\) would be denied.*"), dialog);
      String refusal = ui.confirmRefused();
      assertTrue(refusal.startsWith("gate_refused: "), refusal);
      ui.shot("08-enforce-gate-refused");
      ui.typeReason("the would-deny call is the simulated intruder: deny it");
      ui.confirmModeDialog("enforce");
      ui.await(ExpectedConditions.textToBePresentInElementLocated(By.id("audit"), "the simulated intruder: deny it"));

      // Enforce: the intruder is denied (its status, the drift in the report, the edge) and the
      // app's load keeps passing.
      long okBefore = ui.await(d -> load(d.findElement(By.cssSelector("#simulated-status .sim-load")).getText()))[0];
      ui.await(ExpectedConditions.attributeToBe(intruder, "data-last", "denied"));
      By drift = By.cssSelector("#dryrun [data-layer=drift] tr[data-peer='" + FRONTEND + "'][data-destination='"
          + PAYMENT + "'][data-path='" + CHARGE + "']");
      ui.cells(drift);
      ui.await(ExpectedConditions.presenceOfElementLocated(edge(FRONTEND, PAYMENT, "denied")));
      long[] after = ui.await(d -> {
        long[] l = load(d.findElement(By.cssSelector("#simulated-status .sim-load")).getText());
        return l != null && l[0] >= okBefore + 20 ? l : null;
      });
      assertEquals(0, after[1], "the app's calls pass the enforced policy: " + ui.text(By.id("simulated-status")));
      assertTrue(ui.text(intruder).matches("(?s).*[1-9]\\d* denied \\(PERMISSION_DENIED\\); last denied.*"),
          ui.text(intruder));
      ui.reveal(By.cssSelector("#dryrun [data-layer=drift]"));
      ui.shot("09-enforce-intruder-denied");

      // paymentservice's diff: the newest proposal learned the intruder's call, a grant the
      // enforced version does not have; the app's own grant is unchanged.
      ui.click(By.cssSelector("g.node[data-id='" + PAYMENT + "'] rect"));
      ui.await(ExpectedConditions.textToBe(By.id("panel-title"), "paymentservice (Deployment)"));
      ui.await(ExpectedConditions.textMatches(By.cssSelector("#policy-diff .diff-sides"),
          java.util.regex.Pattern.compile("from version [0-9a-f]{12}… \\(enforced\\) to version [0-9a-f]{12}… \\(the newest proposal\\): 1 added, 0 removed, [1-9]\\d* unchanged")));
      List<String> added = ui.cells(By.cssSelector("#policy-diff tr.grant.added[data-peer='"
          + FRONTEND + "'][data-path='" + CHARGE + "']"));
      assertEquals("+ added", added.get(0), added.toString());
      assertTrue(added.get(5).matches("[1-9]\\d* flow\\(s\\), .*"), "observed for the grant: " + added);
      List<String> kept = ui.cells(By.cssSelector("#policy-diff tr.grant.unchanged[data-peer='"
          + "default/checkoutservice[Deployment]'][data-path='" + CHARGE + "']"));
      assertEquals("= unchanged", kept.get(0), kept.toString());
      ui.reveal(By.id("policy-diff"));
      ui.shot("10-policy-diff");
    }
  }

  /**
   * Waits until the simulated load has passed a few rounds and the newest proposal of default has
   * kept its version for 4 s: every call of the app is learned, as a reviewer would wait for.
   */
  static void settle(DemoRuntime d, DemoWorkloads workloads) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpRequest get = java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(d.url("127.0.0.1") + "api/v1/namespaces/default/proposal")).build();
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String last = null;
    long since = System.nanoTime();
    while (System.nanoTime() < end) {
      java.net.http.HttpResponse<String> r = http.send(get, java.net.http.HttpResponse.BodyHandlers.ofString());
      String v = r.statusCode() == 200 ? new io.vertx.core.json.JsonObject(r.body()).getString("version") : null;
      if (v == null || !v.equals(last) || workloads.snapshot().load().ok() < 24) {
        last = v;
        since = System.nanoTime();
      } else if (System.nanoTime() - since > Duration.ofSeconds(4).toNanos()) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the proposal of default did not settle within 60 s (last " + last + "): "
        + workloads.snapshot());
  }

  /** ok and failed of the simulated load, from its status line. */
  static long[] load(String status) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(": (\\d+) ok, (\\d+) failed").matcher(status);
    return m.find() ? new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))} : null;
  }
}
