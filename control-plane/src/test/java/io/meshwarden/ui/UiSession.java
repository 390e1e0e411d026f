package io.meshwarden.ui;

import io.meshwarden.serve.DemoRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One browser on one page of the review UI, for one test. Live updates redraw the page under the
 * test, so every action and read waits for its condition and is done again on an element a redraw
 * replaced; nothing sleeps.
 */
final class UiSession implements AutoCloseable {
  static final Path SHOTS = Path.of("target/ui-screenshots");

  private final ChromeDriver driver;
  private final WebDriverWait wait;

  private UiSession(ChromeDriver driver) {
    this.driver = driver;
    this.wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    wait.ignoring(StaleElementReferenceException.class);
  }

  static UiSession open(String test, Path profile) {
    return new UiSession(Browser.open(test, profile, 1600, 1000));
  }

  ChromeDriver driver() {
    return driver;
  }

  /** A fresh load of the UI, returning once its first render is done. */
  void load(DemoRuntime demo) {
    driver.get(demo.url("127.0.0.1"));
    await(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
  }

  <T> T await(Function<? super WebDriver, T> condition) {
    return wait.until(condition);
  }

  By node(String id) {
    return By.cssSelector("g.node[data-id='" + id + "']");
  }

  /** Clicks once the element is there and clickable, again if a redraw replaced it meanwhile. */
  void click(By by) {
    await(d -> {
      try {
        d.findElement(by).click();
        return true;
      } catch (ElementNotInteractableException e) {
        // Covered or not yet shown (intercepted clicks are a kind of this): wait and try again.
        return false;
      }
    });
  }

  String text(By by) {
    return await(d -> d.findElement(by).getText());
  }

  /**
   * The texts of a table row's cells, read in one go: a live update replaces the whole row, and a
   * read that meets a replaced row starts again, so the cells agree with each other.
   */
  List<String> cells(By row) {
    return await(d -> cells(d, row));
  }

  static List<String> cells(WebDriver d, By row) {
    return d.findElement(row).findElements(By.tagName("td")).stream().map(c -> c.getText().strip()).toList();
  }

  /** The {@code data-key} of the element with the keyboard focus. */
  String activeKey() {
    return await(d -> {
      String key = d.switchTo().activeElement().getAttribute("data-key");
      return key == null ? "" : key;
    });
  }

  /** Types into whatever has the keyboard focus, as a user does (no element of the test's choosing). */
  void keys(CharSequence... keys) {
    new Actions(driver).sendKeys(keys).perform();
  }

  /** Selects a namespace in the list on the left; its panel shows its mode, dry-run and audit. */
  void selectNamespace(String ns) {
    click(By.cssSelector("#tree [role=treeitem][data-key='group:" + ns + "'] > span"));
    await(ExpectedConditions.textToBe(By.id("panel-title"), "namespace " + ns));
    await(ExpectedConditions.elementToBeClickable(By.cssSelector("#mode button[data-mode]:not([disabled])")));
  }

  /** Opens the approval dialog for {@code mode} and returns its text once the dry-run verdict is in. */
  String openModeDialog(String mode) {
    click(By.cssSelector("#mode button[data-mode='" + mode + "']"));
    await(ExpectedConditions.visibilityOfElementLocated(By.id("approve")));
    await(d -> !d.findElement(By.id("approve-body")).getText().contains("loading"));
    return text(By.id("approve"));
  }

  /** Confirms the open dialog and waits until it is closed and the panel shows the new mode. */
  void confirmModeDialog(String mode) {
    click(By.id("approve-ok"));
    await(ExpectedConditions.invisibilityOfElementLocated(By.id("approve")));
    await(ExpectedConditions.textToBe(By.cssSelector("#mode .mode"), mode));
  }

  /** Clicks Confirm on the open dialog and returns the error it shows, the dialog still open. */
  String confirmRefused() {
    click(By.id("approve-ok"));
    return await(d -> {
      String e = d.findElement(By.id("approve-error")).getText();
      return e.isBlank() ? null : e;
    });
  }

  void typeReason(String reason) {
    click(By.id("approve-reason"));
    driver.findElement(By.id("approve-reason")).sendKeys(reason);
  }

  /** Scrolls the element into view (the panel scrolls on its own), for the next screenshot. */
  void reveal(By by) {
    await(d -> ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
        "arguments[0].scrollIntoView({block: 'start'}); return true;", d.findElement(by)));
  }

  void shot(String name) throws java.io.IOException {
    Files.createDirectories(SHOTS);
    Path png = driver.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(png, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
