package com.fashionsearch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real sample catalogs in ../shared/data read strictly, with every product and no problem. */
class SharedCatalogTest {
  @ParameterizedTest
  @CsvSource({"fashion-1k, 1000", "fashion-5k, 5000"})
  void readsTheSharedSampleStrictlyWithNoProblems(String name, int expected) {
    Path dir = SharedTestFiles.environment().catalog(name);
    Catalog catalog = new CatalogReader().read(dir, true);
    assertEquals(expected, catalog.products().size());
    assertEquals(expected, catalog.report().rowsRead());
    assertEquals(
        0, catalog.report().problemCount(), String.join("\n", catalog.report().summaryLines()));
    assertTrue(
        catalog.products().stream().allMatch(p -> p.attribute("year").matches("[0-9]{4}|")),
        "years normalised");
    assertTrue(
        catalog.products().stream().allMatch(p -> Files.isRegularFile(p.image())),
        "every image exists");
  }
}
