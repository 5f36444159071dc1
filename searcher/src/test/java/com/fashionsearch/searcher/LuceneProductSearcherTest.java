package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.Product;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneProductSearcherTest {
  @TempDir Path dir;
  private Path index;
  private Path catalog;
  private LuceneProductSearcher searcher;
  private final List<Product> products = new ArrayList<>();
  private final List<float[]> vectors = new ArrayList<>();

  private void add(
      String id,
      String gender,
      String master,
      String sub,
      String type,
      String colour,
      int year,
      String name,
      int rgb) {
    products.add(TestIndexes.product(catalog, id, gender, master, sub, type, colour, year, name));
    vectors.add(TestIndexes.colourVector(rgb));
  }

  @BeforeEach
  void writeIndex() throws IOException {
    index = dir.resolve("index");
    catalog = dir.resolve("catalog");
    add("1", "Men", "Footwear", "Shoes", "Casual Shoes", "Red", 2010, "Red Runner Shoes", 0xE01010);
    add("2", "Women", "Footwear", "Shoes", "Heels", "Red", 2011, "Scarlet Heels", 0xD02020);
    add("3", "Men", "Apparel", "Topwear", "Tshirts", "Red", 2012, "Red Cotton Tshirt", 0xC03030);
    add("4", "Women", "Apparel", "Topwear", "Tops", "Blue", 2012, "Blue Summer Top", 0x1010E0);
    add(
        "5",
        "Men",
        "Footwear",
        "Shoes",
        "Sports Shoes",
        "Blue",
        2013,
        "Blue Sports Shoes",
        0x2020D0);
    add(
        "6",
        "Women",
        "Accessories",
        "Bags",
        "Handbags",
        "Green",
        2011,
        "Green Leather Handbag",
        0x10E010);
    add("7", "Men", "Apparel", "Bottomwear", "Jeans", "Blue", 2010, "Blue Denim Jeans", 0x3030C0);
    add("8", "Women", "Footwear", "Sandal", "Flats", "Green", 2012, "Green Flats", 0x20D020);
    add(
        "9",
        "Men",
        "Accessories",
        "Watches",
        "Watches",
        "Black",
        2014,
        "Black Steel Watch",
        0x101010);
    add("10", "Women", "Apparel", "Topwear", "Tops", "Red", 2013, "Red Silk Top", 0xE01010);
    TestIndexes.writeGeneration(index, catalog, products, vectors, false);
    searcher =
        LuceneProductSearcher.open(
            index, (m, w) -> new TestIndexes.ColourEmbedder(false), KnnTuning.DEFAULT);
  }

  @AfterEach
  void close() {
    searcher.close();
  }

  @Test
  void warmUpRunsEveryQueryItIsAskedForWithinItsBudget() {
    // 10 products, each unfiltered then under its gender, masterCategory and articleType: a failed
    // query (an unknown attribute, say) would end the warm-up early and be counted short
    assertEquals(40, searcher.warmUp(40, java.time.Duration.ofSeconds(30)));
    assertEquals(7, searcher.warmUp(7, java.time.Duration.ofSeconds(30)));
    assertEquals(0, searcher.warmUp(40, java.time.Duration.ZERO));
    assertEquals(
        List.of("10", "2", "3"),
        ids(searcher.similarToItem("1", SearchFilters.NONE, SearchOptions.top(3))));
  }

  private static List<String> ids(SearchResults results) {
    return results.hits().stream().map(h -> h.item().id()).toList();
  }

  /** Brute force over the fixture: ids by descending dot product, ties by numeric id. */
  private List<String> bruteForce(
      float[] q, java.util.function.Predicate<Product> keep, String excluded) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < products.size(); i++) {
      if (keep.test(products.get(i)) && !products.get(i).id().equals(excluded)) {
        order.add(i);
      }
    }
    float[][] unit =
        vectors.stream()
            .map(v -> com.fashionsearch.indexer.SyntheticVectors.normalise(v.clone()))
            .toArray(float[][]::new);
    order.sort(
        (a, b) -> {
          int c = Float.compare(score(q, unit[b]), score(q, unit[a]));
          return c != 0
              ? c
              : Integer.compare(
                  Integer.parseInt(products.get(a).id()), Integer.parseInt(products.get(b).id()));
        });
    return order.stream().map(i -> products.get(i).id()).toList();
  }

  private static float score(float[] a, float[] b) {
    return com.fashionsearch.indexer.IndexSchema.SIMILARITY.compare(a, b);
  }

  @Test
  void similarToItemExcludesItselfAndBreaksTiesById() {
    SearchResults r = searcher.similarToItem("3", SearchFilters.NONE, SearchOptions.top(9));
    // 2 is the closest red; 1 and 10 have the same vector, so 1 comes before 10.
    assertEquals(List.of("2", "1", "10"), ids(r).subList(0, 3));
    assertFalse(ids(r).contains("3"));
    assertEquals(bruteForce(TestIndexes.colourVector(0xC03030), p -> true, "3"), ids(r));
    assertEquals(r.hits().get(1).score(), r.hits().get(2).score());
    assertTrue(r.hits().get(0).score() <= 1.0 && r.hits().get(8).score() >= 0.0);
  }

  @Test
  void resultsCarryEveryAttributeByItsCatalogName() {
    CatalogItem item = searcher.item("5").orElseThrow();
    assertEquals(
        List.of(
            "gender",
            "masterCategory",
            "subCategory",
            "articleType",
            "baseColour",
            "season",
            "year",
            "usage",
            "productDisplayName"),
        List.copyOf(item.attributes().keySet()));
    assertEquals("Sports Shoes", item.attributes().get("articleType"));
    assertEquals("2013", item.attributes().get("year"));
    assertEquals("Blue Sports Shoes", item.attributes().get("productDisplayName"));
    assertEquals("5.png", item.image());
    assertEquals(Optional.empty(), searcher.item("404"));
    assertThrows(
        UnknownProductException.class,
        () -> searcher.similarToItem("404", SearchFilters.NONE, SearchOptions.DEFAULT));
  }

  @Test
  void attributeYearAndExpressionFiltersAllHold() {
    SearchResults footwear =
        searcher.similarToItem(
            "3", SearchFilters.NONE.and("masterCategory", "Footwear"), SearchOptions.top(10));
    assertEquals(
        bruteForce(
            TestIndexes.colourVector(0xC03030),
            p -> p.attribute("masterCategory").equals("Footwear"),
            "3"),
        ids(footwear));

    SearchFilters years = SearchFilters.NONE.years(Optional.of(2011), Optional.of(2012));
    assertEquals(
        bruteForce(
            TestIndexes.colourVector(0xC03030),
            p -> {
              int y = Integer.parseInt(p.attribute("year"));
              return y >= 2011 && y <= 2012;
            },
            "3"),
        ids(searcher.similarToItem("3", years, SearchOptions.top(10))));

    SearchFilters expr =
        SearchFilters.expression(
            "articleType:\"Sports Shoes\" OR (gender:Women AND year:[2012 TO 2013])");
    assertEquals(
        bruteForce(
            TestIndexes.colourVector(0xE01010),
            p ->
                p.attribute("articleType").equals("Sports Shoes")
                    || (p.attribute("gender").equals("Women")
                        && p.attribute("year").compareTo("2012") >= 0
                        && p.attribute("year").compareTo("2013") <= 0),
            ""),
        ids(
            searcher.similarToVector(
                TestIndexes.colourVector(0xE01010), expr, SearchOptions.top(10))));

    SearchFilters combined =
        SearchFilters.expression("masterCategory:Apparel").and("gender", "Women");
    assertEquals(
        List.of("10", "4"),
        ids(
            searcher.similarToVector(
                TestIndexes.colourVector(0xE01010), combined, SearchOptions.top(10))));
  }

  @Test
  void badFiltersNameTheProblem() {
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                searcher.similarToItem(
                    "3",
                    SearchFilters.expression("colour:Red AND gender:Men"),
                    SearchOptions.DEFAULT));
    assertTrue(unknown.getMessage().contains("colour"), unknown.getMessage());
    IllegalArgumentException broken =
        assertThrows(
            IllegalArgumentException.class,
            () -> searcher.facets(SearchFilters.expression("gender:(Men")));
    assertTrue(broken.getMessage().contains("gender:(Men"), broken.getMessage());
    IllegalArgumentException attribute =
        assertThrows(IllegalArgumentException.class, () -> SearchFilters.NONE.and("size", "M"));
    assertTrue(attribute.getMessage().contains("size"), attribute.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SearchOptions(101, 0, false));
    assertThrows(IllegalArgumentException.class, () -> new SearchOptions(0, 0, false));
    assertThrows(
        IllegalArgumentException.class,
        () -> searcher.similarToVector(new float[3], SearchFilters.NONE, SearchOptions.DEFAULT));
  }

  @Test
  void offsetPagesThroughTheSameOrderAndExactModeAgrees() {
    List<String> all = ids(searcher.similarToItem("7", SearchFilters.NONE, SearchOptions.top(9)));
    assertEquals(
        all.subList(2, 5),
        ids(searcher.similarToItem("7", SearchFilters.NONE, new SearchOptions(3, 2, false))));
    assertEquals(
        all, ids(searcher.similarToItem("7", SearchFilters.NONE, SearchOptions.top(9).exactly())));
    assertEquals(
        List.of(),
        ids(searcher.similarToItem("7", SearchFilters.NONE, new SearchOptions(5, 20, false))));
  }

  @Test
  void imageQueriesUseTheIndexModel() {
    SearchResults r =
        searcher.similarToImage(
            TestIndexes.solid(0x20D020, 6, 8), SearchFilters.NONE, SearchOptions.top(2));
    assertEquals(List.of("8", "6"), ids(r));
    assertEquals(1.0, r.hits().get(0).score(), 1e-5);
    assertFalse(r.index().pretrained());
    assertTrue(r.index().untrainedWarning().contains("UNTRAINED"));
  }

  @Test
  void textAndHybridQueries() {
    assertEquals(
        List.of("4", "10"), ids(searcher.byText("top", SearchFilters.NONE, SearchOptions.top(5))));
    assertEquals(
        List.of("5"),
        ids(
            searcher.byText(
                "shoes", SearchFilters.NONE.and("baseColour", "Blue"), SearchOptions.top(5))));
    // Red image and the word "top": the red top (10) is second in both lists (behind 1, its equal
    // vector with the lower id, and behind 4, the other "top" with the lower id) and wins on the
    // sum.
    SearchResults hybrid =
        searcher.hybrid(
            TestIndexes.solid(0xE01010, 4, 4), "top", SearchFilters.NONE, SearchOptions.top(3));
    assertEquals("10", ids(hybrid).get(0));
    assertEquals(2.0 / 62, hybrid.hits().get(0).score(), 1e-9);
    assertThrows(
        IllegalArgumentException.class,
        () -> searcher.byText("  ", SearchFilters.NONE, SearchOptions.DEFAULT));
  }

  @Test
  void facetsCountTheFilteredSet() {
    FacetCounts all = searcher.facets(SearchFilters.NONE);
    assertEquals(10, all.matching());
    assertEquals(Map.of("Men", 5L, "Women", 5L), all.counts().get("gender"));
    FacetCounts footwear = searcher.facets(SearchFilters.NONE.and("masterCategory", "Footwear"));
    assertEquals(4, footwear.matching());
    assertEquals(
        List.of("Red", "Blue", "Green"), List.copyOf(footwear.counts().get("baseColour").keySet()));
    assertEquals(2L, footwear.counts().get("baseColour").get("Red"));
    assertEquals(Map.of("Footwear", 4L), footwear.counts().get("masterCategory"));
  }

  @Test
  void refreshMovesToTheNewGenerationAndAQueryInFlightKeepsItsReader() throws IOException {
    assertFalse(searcher.refresh());
    long before = searcher.info().generation();
    // Take a reference as a running query does, then switch generations under it.
    OpenGeneration held = heldGeneration();
    TestIndexes.writeGeneration(
        index, catalog, products.subList(0, 4), vectors.subList(0, 4), true);
    assertTrue(searcher.refresh());
    assertEquals(before + 1, searcher.info().generation());
    assertEquals(4, searcher.info().documents());
    assertTrue(searcher.info().pretrained());
    assertEquals(10, held.reader.numDocs(), "the old generation stays open while referenced");
    held.release();
    assertEquals(0, held.reader.getRefCount(), "the old generation closes with its last reference");
  }

  @Test
  void aClosedSearcherRefusesQueriesAndRefreshesAndItsGenerationCloses() throws IOException {
    OpenGeneration g = heldGeneration();
    g.release();
    searcher.close();
    assertEquals(0, g.reader.getRefCount(), "the generation closed with the searcher");
    IllegalStateException query =
        assertThrows(
            IllegalStateException.class,
            () -> searcher.browse(SearchFilters.NONE, SearchOptions.DEFAULT));
    assertEquals("the searcher is closed", query.getMessage());
    IllegalStateException refresh = assertThrows(IllegalStateException.class, searcher::refresh);
    assertEquals("the searcher is closed", refresh.getMessage());
    searcher.close();
  }

  private OpenGeneration heldGeneration() {
    return searcher.acquire();
  }
}
