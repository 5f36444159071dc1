package com.fashionsearch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real sample catalogs in ../shared/data read strictly, with every product and no problem. */
class SharedCatalogTest {
  @ParameterizedTest
  @CsvSource({"fashion-1k, 1000", "fashion-5k, 5000"})
  void readsTheSharedSampleStrictlyWithNoProblems(String name, int expected) {
    String shared = System.getProperty("fashion.shared");
    assumeTrue(shared != null, "system property fashion.shared not set (surefire sets it); skipping " + name);
    Path dir = Path.of(shared, "data", name);
    assumeTrue(Files.isRegularFile(dir.resolve("styles.csv")), "shared catalog absent: " + dir + "; skipping");
    Catalog catalog = new CatalogReader().read(dir, true);
    assertEquals(expected, catalog.products().size());
    assertEquals(expected, catalog.report().rowsRead());
    assertEquals(0, catalog.report().problemCount(), String.join("\n", catalog.report().summaryLines()));
    assertTrue(catalog.products().stream().allMatch(p -> p.attribute("year").matches("[0-9]{4}|")), "years normalised");
    assertTrue(catalog.products().stream().allMatch(p -> Files.isRegularFile(p.image())), "every image exists");
  }
}
