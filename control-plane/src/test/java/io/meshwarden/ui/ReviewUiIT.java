package io.meshwarden.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.serve.DemoRuntime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The review UI on {@code meshwarden demo}, in Debian's headless Chromium: the graph draws the
 * demo's workloads, a click on one opens its panel, the keyboard reaches the same, and search
 * focuses a workload. A screenshot per step is kept under {@code target/ui-screenshots/}.
 */
class ReviewUiIT {
  static final Path SHOTS = Path.of("target/ui-screenshots");

  static void shot(WebDriver d, String name) throws Exception {
    Files.createDirectories(SHOTS);
    Path png = ((ChromeDriver) d).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(png, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  /** Live updates redraw the page under the test: an action on a redrawn element is done again. */
  static <T> T retry(java.util.function.Supplier<T> action) {
    for (int i = 0; ; i++) {
      try {
        return action.get();
      } catch (org.openqa.selenium.StaleElementReferenceException e) {
        if (i == 5) {
          throw e;
        }
      }
    }
  }

  @Test
  void theDemoGraph_aWorkloadsPanel_keyboardAndSearch(@TempDir Path dir) throws Exception {
    StringWriter log = new StringWriter();
    ChromeDriver driver = Browser.open("ReviewUiIT", dir.resolve("profile"), 1600, 1000);
    try (DemoRuntime demo = DemoRuntime.start(new DemoRuntime.Options(dir.resolve("state"), "127.0.0.1", 0, 0, 0, 5,
        "test"), Duration.ofSeconds(50), new PrintWriter(log, true), new PrintWriter(log, true))) {
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      driver.get(demo.url("127.0.0.1"));
      wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
      // Step 1: every Online Boutique workload is drawn, and the page says what is simulated.
      List<String> workloads = List.of("frontend", "cartservice", "checkoutservice", "productcatalogservice",
          "currencyservice", "paymentservice", "shippingservice", "emailservice", "recommendationservice", "adservice",
          "redis-cart", "loadgenerator");
      for (String w : workloads) {
        assertEquals(1, driver.findElements(By.cssSelector("g.node[data-id='default/" + w + "[Deployment]']")).size(), w);
      }
      assertTrue(driver.findElements(By.cssSelector("g.node[data-id='internet']")).size() == 1, "the internet is a node");
      assertTrue(driver.findElements(By.cssSelector("#edges path.edge.observed-allowed")).size() >= 10, "observed edges drawn");
      assertEquals(0, driver.findElements(By.cssSelector("#edges path.edge.allowed-unobserved")).size(),
          "allowed-but-unobserved edges are hidden by default");
      // Findings are matched to their workloads: the frontend (an entry point) carries some.
      wait.until(d -> d.findElement(By.cssSelector("g.node[data-id='default/frontend[Deployment]']"))
          .getAttribute("class").contains("sev-"));
      WebElement notice = driver.findElement(By.id("notice"));
      assertTrue(notice.isDisplayed() && notice.getText().contains("recorded"), notice.getText());
      shot(driver, "01-graph");

      // Step 2: a click on a workload opens its panel: findings with file:line, coverage, traffic.
      retry(() -> {
        driver.findElement(By.cssSelector("g.node[data-id='default/cartservice[Deployment]'] rect")).click();
        return null;
      });
      wait.until(ExpectedConditions.textToBe(By.id("panel-title"), "cartservice (Deployment)"));
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("panel"), "observed for"));
      String panel = retry(() -> driver.findElement(By.id("panel")).getText());
      assertTrue(panel.contains("Findings ("), panel);
      assertTrue(panel.contains("NetworkPolicy default/cartservice"), panel);
      assertTrue(panel.matches("(?s).*rendered\\.yaml:\\d+.*"), "file:line shown: " + panel);
      assertTrue(panel.contains("Proposal") && panel.contains("Dry run"), panel);
      assertTrue(retry(() -> driver.findElement(By.cssSelector("g.node[data-id='default/adservice[Deployment]']"))
          .getAttribute("class")).contains("dim"), "focus dims what is not a neighbour");
      shot(driver, "02-workload");

      // Step 3: the same from the keyboard: the list on the left, arrow keys and Enter.
      retry(() -> {
        driver.findElement(By.cssSelector("#tree [role=treeitem][tabindex='0']")).click();
        return null;
      });
      for (int i = 0; i < 40 && !"default/frontend[Deployment]".equals(
          retry(() -> driver.switchTo().activeElement().getAttribute("data-key"))); i++) {
        retry(() -> {
          driver.switchTo().activeElement().sendKeys(Keys.ARROW_DOWN);
          return null;
        });
      }
      assertEquals("default/frontend[Deployment]", retry(() -> driver.switchTo().activeElement().getAttribute("data-key")));
      retry(() -> {
        driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        return null;
      });
      wait.until(ExpectedConditions.textToBe(By.id("panel-title"), "frontend (Deployment)"));

      // Step 4: search focuses a workload.
      WebElement search = driver.findElement(By.id("search"));
      search.sendKeys("checkout");
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#search-results li")));
      search.sendKeys(Keys.ENTER);
      wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-focused", "default/checkoutservice[Deployment]"));
      String edges = (String) ((JavascriptExecutor) driver).executeScript(
          "return [...document.querySelectorAll('#edges path.edge:not(.dim)')].map(p => p.dataset.source + '>' + p.dataset.target).join(' ')");
      assertTrue(edges.contains("default/checkoutservice[Deployment]>default/paymentservice[Deployment]"), edges);
      shot(driver, "03-search-focus");
    } finally {
      driver.quit();
    }
  }
}
