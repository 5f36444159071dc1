package com.fashionsearch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.searcher.KnnTuning;
import com.fashionsearch.searcher.LuceneProductSearcher;
import com.fashionsearch.searcher.TestIndexes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page end to end in headless Chromium, at a desktop width (1400 px) and a phone width (420
 * px): it opens on the catalog, pages with "More results", filter menus take several values and
 * keep offering the others, a product opens in a larger view with its attributes and "similar in
 * this category", an uploaded image searches, and the URL holds the query. The layout fills the
 * width and nothing is cut off. Screenshots of each step go to {@code target/screenshots/}. Skipped
 * when chromedriver is absent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebPageBrowserTest {
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @TempDir static Path dir;
  private LuceneProductSearcher searcher;
  private RunningServer server;

  @BeforeAll
  void start() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
        "skipped: needs "
            + CHROMEDRIVER
            + " and "
            + CHROMIUM
            + " (Debian packages chromium and chromium-driver)");
    TestCatalog.write(dir.resolve("catalog"), dir.resolve("index"), false);
    searcher =
        LuceneProductSearcher.open(
            dir.resolve("index"),
            (m, w) -> new TestIndexes.ColourEmbedder(false),
            KnnTuning.DEFAULT);
    server = FashionServer.start(searcher, ServerConfig.forIndex(dir.resolve("index")).withPort(0));
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
      searcher.close();
    }
  }

  @ParameterizedTest(name = "{0} px")
  @CsvSource({"1400, 900, desktop", "420, 860, phone"})
  void browseFilterViewAndSearchAtThisWidth(int width, int height, String size) throws Exception {
    WebDriver driver = driver(width, height, size);
    try {
      // the page re-renders the grid and menus on every change: an element may go stale between two
      // reads
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      wait.ignoring(StaleElementReferenceException.class);
      JavascriptExecutor js = (JavascriptExecutor) driver;
      boolean phone = width < 760;

      // the page opens on the catalog: products to browse, no query needed
      driver.get(server.url() + "/?k=4");
      wait.until(d -> cards(d).size() == 4);
      assertTrue(driver.findElement(By.id("warning")).getText().contains("UNTRAINED"));
      wait.until(d -> d.findElement(By.id("status")).getText().contains("of 10 products"));
      assertLayoutFits(js, width, phone);
      shot(driver, size, "1-catalog");

      // "More results" appends the next page until the catalog ends
      driver.findElement(By.id("more")).click();
      wait.until(d -> cards(d).size() == 8);
      driver.findElement(By.id("more")).click();
      wait.until(d -> cards(d).size() == 10);
      wait.until(d -> !d.findElement(By.id("more")).isDisplayed());
      assertEquals(10, new TreeSet<>(cardIds(driver)).size(), "no product twice");

      // filter menus take several values and keep offering the others (each counted under the rest)
      if (phone) {
        assertFalse(
            driver.findElement(By.id("filters-box")).getDomProperty("open").equals("true"),
            "filters folded on a phone");
        driver.findElement(By.cssSelector("#filters-box > summary")).click();
      }
      driver.findElement(By.cssSelector("#facet-baseColour > summary")).click();
      driver.findElement(By.cssSelector("#facet-baseColour input[value='Red']")).click();
      wait.until(d -> d.getCurrentUrl().contains("baseColour=Red") && cards(d).size() == 4);
      wait.until(d -> valueCount(d, "baseColour", "Blue").equals("3"));
      assertEquals("4", valueCount(driver, "baseColour", "Red"));
      attributesOfCards(driver, "baseColour").forEach(c -> assertEquals("Red", c));
      driver.findElement(By.cssSelector("#facet-baseColour input[value='Blue']")).click();
      wait.until(
          d ->
              d.getCurrentUrl().contains("baseColour=Blue")
                  && d.findElement(By.id("status")).getText().contains("of 7 products"));
      driver.findElement(By.id("more")).click();
      wait.until(d -> cards(d).size() == 7);
      assertTrue(driver.getCurrentUrl().contains("baseColour=Red"), driver.getCurrentUrl());
      attributesOfCards(driver, "baseColour")
          .forEach(c -> assertTrue(Set.of("Red", "Blue").contains(c), c));
      wait.until(d -> valueCount(d, "gender", "Men").equals("4"));
      assertEquals("3", valueCount(driver, "gender", "Women"));
      assertEquals(2, driver.findElements(By.cssSelector("#chips .chip")).size());
      assertLayoutFits(js, width, phone);
      shot(driver, size, "2-two-colours");

      // a product's larger view, with its attributes and "similar in this category"
      driver.get(server.url() + "/?item=10");
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail")));
      wait.until(d -> d.findElement(By.id("detail-name")).getText().equals("Red Silk Top"));
      assertEquals(
          "Tops",
          driver
              .findElement(
                  By.cssSelector("#detail-attributes tr[data-name=articleType] td:last-child"))
              .getText());
      assertEquals(
          "2013",
          driver
              .findElement(By.cssSelector("#detail-attributes tr[data-name=year] td:last-child"))
              .getText());
      assertDialogFits(js, width);
      shot(driver, size, "3-product");
      WebElement inCategory = driver.findElement(By.id("detail-similar-category"));
      assertEquals("Similar in Tops", inCategory.getText());
      inCategory.click();
      wait.until(
          d ->
              d.getCurrentUrl().contains("id=10")
                  && d.getCurrentUrl().contains("articleType=Tops"));
      wait.until(d -> cardIds(d).equals(List.of("4")));
      assertFalse(driver.findElement(By.id("detail")).isDisplayed());
      assertTrue(driver.findElement(By.id("query-product")).getText().contains("#10"));

      // a card opens the product; its "Similar" button searches from it with the filters kept
      driver.get(server.url() + "/?masterCategory=Footwear");
      wait.until(d -> cards(d).size() == 4);
      cards(driver).get(0).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail")));
      assertTrue(driver.getCurrentUrl().contains("item="), driver.getCurrentUrl());
      driver.findElement(By.id("detail-close")).click();
      wait.until(
          d ->
              !d.findElement(By.id("detail")).isDisplayed()
                  && !d.getCurrentUrl().contains("item="));
      String first = cardIds(driver).get(0);
      cards(driver).get(0).findElement(By.cssSelector("button.similar")).click();
      wait.until(d -> d.getCurrentUrl().contains("id=" + first));
      wait.until(d -> cards(d).size() == 3);
      assertFalse(cardIds(driver).contains(first));
      attributesOfCards(driver, "masterCategory").forEach(c -> assertEquals("Footwear", c));

      // an uploaded image searches, under the filters; the nearest red product comes first
      driver.findElement(By.id("clear")).click();
      wait.until(d -> cards(d).size() == 10 && d.getCurrentUrl().endsWith("/"));
      Path upload = dir.resolve("red-" + size + ".png");
      Files.write(upload, TestCatalog.png(0xE01010));
      driver.findElement(By.id("file")).sendKeys(upload.toString());
      wait.until(d -> d.findElement(By.id("status")).getText().contains("like your photo"));
      assertEquals("1", cardIds(driver).get(0));
      assertLayoutFits(js, width, phone);
      shot(driver, size, "4-photo-search");

      // words of the name
      driver.findElement(By.id("text")).sendKeys("shoes\n");
      wait.until(d -> d.getCurrentUrl().contains("text=shoes"));
      driver.findElement(By.id("clear")).click();
      driver.findElement(By.id("text")).sendKeys("shoes\n");
      wait.until(d -> d.findElement(By.id("status")).getText().contains("for “shoes”"));
      assertEquals(Set.of("1", "5"), Set.copyOf(cardIds(driver)));
    } catch (Exception | AssertionError e) {
      shot(driver, size, "failed");
      System.err.println(
          "page at failure: "
              + driver.getCurrentUrl()
              + " status: "
              + driver.findElement(By.id("status")).getText());
      throw e;
    } finally {
      driver.quit();
    }
  }

  private WebDriver driver(int width, int height, String size) throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    if (width < 500) {
      // a window cannot be narrower than 500 px: a phone is emulated, as the browser's device mode
      // does
      options.setExperimentalOption(
          "mobileEmulation",
          Map.of(
              "deviceMetrics",
              Map.of("width", width, "height", height, "pixelRatio", 1.0, "touch", false)));
    }
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--window-size=" + Math.max(width, 500) + "," + height,
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chrome-profile-" + size)));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  /** The grid uses the width it has and nothing sticks out of the window. */
  private static void assertLayoutFits(JavascriptExecutor js, int width, boolean phone) {
    long inner = ((Number) js.executeScript("return window.innerWidth")).longValue();
    long scroll =
        ((Number) js.executeScript("return document.documentElement.scrollWidth")).longValue();
    assertTrue(
        scroll <= inner,
        "the page is " + scroll + " px wide in a " + inner + " px window: something is cut off");
    String overflowing =
        (String)
            js.executeScript(
                "const out = [];for (const e of document.querySelectorAll('header, header *,"
                    + " #results .card, aside, #content')) {  const r = e.getBoundingClientRect(); "
                    + " if (r.width > 0 && (r.right > window.innerWidth + 0.5 || r.left < -0.5))"
                    + " out.push((e.id || e.className || e.tagName) + ' ' + Math.round(r.left) +"
                    + " '..' + Math.round(r.right));}return out.join(', ');");
    assertEquals("", overflowing, "elements outside the window");
    double grid =
        ((Number)
                js.executeScript(
                    "return document.getElementById('results').getBoundingClientRect().width"))
            .doubleValue();
    double content =
        ((Number)
                js.executeScript(
                    "return document.getElementById('content').getBoundingClientRect().right"))
            .doubleValue();
    assertTrue(content >= inner - 40, "the results column ends at " + content + " px of " + inner);
    if (phone) {
      assertTrue(
          grid >= inner - 40, "on a phone the grid takes the full width: " + grid + " of " + inner);
    } else {
      assertTrue(
          grid >= 0.7 * inner,
          "on a desktop the grid takes most of the width: " + grid + " of " + inner);
    }
    long columns =
        ((Number)
                js.executeScript(
                    "return"
                        + " getComputedStyle(document.getElementById('results')).gridTemplateColumns.split('"
                        + " ').length"))
            .longValue();
    assertTrue(phone ? columns == 2 : columns >= 5, columns + " columns at " + width + " px");
  }

  private static void assertDialogFits(JavascriptExecutor js, int width) {
    String outside =
        (String)
            js.executeScript(
                "const r = document.getElementById('detail').getBoundingClientRect();return r.left"
                    + " >= 0 && r.right <= window.innerWidth ? '' : Math.round(r.left) + '..' +"
                    + " Math.round(r.right);");
    assertEquals("", outside, "the product view at " + width + " px");
  }

  private static List<WebElement> cards(WebDriver d) {
    return d.findElements(By.cssSelector("#results .card"));
  }

  private static List<String> cardIds(WebDriver d) {
    return cards(d).stream().map(c -> c.getDomAttribute("data-id")).toList();
  }

  private static List<String> attributesOfCards(WebDriver d, String attribute) {
    List<WebElement> values =
        d.findElements(By.cssSelector("#results .card .attr[data-name=" + attribute + "]"));
    assertEquals(cards(d).size(), values.size(), "every card shows its " + attribute);
    return values.stream().map(WebElement::getText).toList();
  }

  /** The count a facet menu shows beside a value, or "absent". */
  private static String valueCount(WebDriver d, String attribute, String value) {
    for (WebElement label : d.findElements(By.cssSelector("#facet-" + attribute + " .value"))) {
      if (label.findElement(By.tagName("input")).getDomAttribute("value").equals(value)) {
        return label.findElement(By.className("count")).getDomProperty("textContent");
      }
    }
    return "absent";
  }

  private static void shot(WebDriver driver, String size, String step) throws Exception {
    Path png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(
        png, SCREENSHOTS.resolve(size + "-" + step + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
