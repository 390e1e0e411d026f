package io.meshwarden.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.serve.DemoRuntime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
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
    assertTrue(ui.driver().findElement(ui.node("default/adservice[Deployment]")).getAttribute("class").contains("dim"),
        "focus dims what is not a neighbour");
    ui.shot("02-workload");
  }

  @Test
  void theKeyboardWalksTheListAndOpensAWorkload() throws Exception {
    ui.load(demo);
    ui.click(By.cssSelector("#tree [role=treeitem][tabindex='0']"));
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
      ui.shot("06-dry-run-report");
    }
  }
}
