package com.fashionsearch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.searcher.KnnTuning;
import com.fashionsearch.searcher.LuceneProductSearcher;
import com.fashionsearch.searcher.TestIndexes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page end to end in headless Chromium: upload an image, pick Footwear, see only Footwear;
 * click a result to search from it; the URL holds the query. Skipped when chromedriver is absent.
 */
class WebPageBrowserTest {
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir Path dir;

  @Test
  void uploadAnImagePickFootwearSeeOnlyFootwear() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
        "skipped: needs " + CHROMEDRIVER + " and " + CHROMIUM + " (Debian packages chromium and chromium-driver)");
    TestCatalog.write(dir.resolve("catalog"), dir.resolve("index"), false);
    Path upload = dir.resolve("red.png");
    Files.write(upload, TestCatalog.png(0xE01010));

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chrome-profile")));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();

    try (LuceneProductSearcher searcher =
            LuceneProductSearcher.open(dir.resolve("index"), (m, w) -> new TestIndexes.ColourEmbedder(false), KnnTuning.DEFAULT);
        RunningServer server = FashionServer.start(searcher, ServerConfig.forIndex(dir.resolve("index")).withHost("127.0.0.1").withPort(0))) {
      WebDriver driver = new ChromeDriver(service, options);
      try {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        driver.get(server.url() + "/");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("filter-masterCategory")));
        assertTrue(driver.findElement(By.id("warning")).getText().contains("UNTRAINED"));

        driver.findElement(By.id("file")).sendKeys(upload.toString());
        wait.until(d -> d.findElements(By.cssSelector("#results .card")).size() == 10);
        assertEquals("1", driver.findElements(By.cssSelector("#results .card")).get(0).getDomAttribute("data-id"));

        new Select(driver.findElement(By.id("filter-masterCategory"))).selectByValue("Footwear");
        wait.until(d -> d.findElements(By.cssSelector("#results .card")).size() == 4);
        List<WebElement> categories = driver.findElements(By.cssSelector("#results .card .attr[data-name=masterCategory]"));
        assertEquals(4, categories.size());
        categories.forEach(c -> assertEquals("Footwear", c.getText()));
        assertTrue(driver.getCurrentUrl().contains("masterCategory=Footwear"), driver.getCurrentUrl());
        // the gender menu is filled from the facets of the filtered set
        assertTrue(driver.findElement(By.id("filter-gender")).getText().contains("Men (2)"));

        // clicking a result searches from it, and the URL holds that query
        driver.findElements(By.cssSelector("#results .card")).get(3).click();
        wait.until(d -> d.getCurrentUrl().contains("id="));
        String url = driver.getCurrentUrl();
        wait.until(d -> d.findElements(By.cssSelector("#results .card")).size() == 3);
        String clicked = url.replaceAll(".*[?&]id=([^&]+).*", "$1");
        driver.findElements(By.cssSelector("#results .card")).forEach(c -> assertFalse(c.getDomAttribute("data-id").equals(clicked)));

        // the URL alone reproduces the query
        driver.get(url);
        wait.until(d -> d.findElements(By.cssSelector("#results .card")).size() == 3);
        driver.findElements(By.cssSelector("#results .card .attr[data-name=masterCategory]"))
            .forEach(c -> assertEquals("Footwear", c.getText()));
      } finally {
        driver.quit();
      }
    }
  }
}
