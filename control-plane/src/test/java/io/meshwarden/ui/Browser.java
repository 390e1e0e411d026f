package io.meshwarden.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by Debian's chromedriver through Selenium (never a downloaded
 * browser or driver). Without them the calling test is skipped with the reason printed, unless
 * {@code MESHWARDEN_REQUIRE_BROWSER} is set, as CI does.
 */
final class Browser {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private Browser() {}

  static ChromeDriver open(String test, Path profile, int width, int height) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String why = "no " + (!Files.isExecutable(CHROMIUM) ? CHROMIUM : CHROMEDRIVER)
          + " (apt-get install chromium chromium-driver); .ci/run installs them";
      if (System.getenv("MESHWARDEN_REQUIRE_BROWSER") != null) {
        throw new AssertionError("MESHWARDEN_REQUIRE_BROWSER is set but " + why);
      }
      // Surefire and Failsafe keep an abort's reason in their reports only; say it where it is seen.
      System.err.println(test + " skipped: " + why);
      Assumptions.abort(why);
    }
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=" + width + "," + height, "--user-data-dir=" + profile, "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    return new ChromeDriver(service, o);
  }
}
