package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.Product;
import com.fashionsearch.models.ImageDecoder;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link ProductSearcher} must do, checked over the real {@code fashion-1k} catalog
 * ({@link ContractCatalog}): filters return only matching products, facets count the filtered set,
 * k and offset page through one order with ties by id, similar-by-id leaves the product out, text
 * and hybrid queries, errors name the bad value, and recall@10 against exact search over the same
 * vectors is at least 0.95. One subclass per backend supplies the searcher over that catalog.
 *
 * <p>The recall test prints one {@code backend=.. filter=.. recall@10=.. p50_ms=..} line per filter
 * (docs/benchmarks-history.md, "SolrCloud backend vs the local Lucene index").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ProductSearcherContract {
  /** The seed of every random choice of query. */
  protected static final long SEED = 20261127L;

  /** The catalog the searcher serves. */
  protected abstract ContractCatalog catalog();

  /** The searcher under test, open over {@link #catalog()}. */
  protected abstract ProductSearcher searcher();

  /** The backend's name, for messages and the printed figures. */
  protected abstract String backend();

  // --- the contract

  @Test
  void itemsReadBackWithEveryAttribute() {
    for (Product p : List.copyOf(products().values()).subList(0, 5)) {
      CatalogItem item =
          searcher()
              .item(p.id())
              .orElseThrow(() -> new AssertionError(backend() + " lost " + p.id()));
      assertEquals(p.id(), item.id());
      assertEquals(p.image().getFileName().toString(), item.image(), backend());
      for (String column : item.attributes().keySet()) {
        assertEquals(
            p.attribute(column),
            item.attributes().get(column),
            backend() + " " + p.id() + " " + column);
      }
      assertTrue(
          item.attributes().keySet().containsAll(SearchFilters.FACET_ATTRIBUTES),
          item.attributes().toString());
    }
    assertTrue(searcher().item("no-such-id").isEmpty());
    assertEquals(products().size(), searcher().info().documents(), backend());
    assertEquals(GrayGridEmbedder.DIMENSION, searcher().info().dimension());
  }

  @Test
  void filteredQueriesReturnOnlyMatchingProducts() {
    List<String> ids = new ArrayList<>(vectors().keySet());
    Random random = new Random(SEED);
    for (Map.Entry<SearchFilters, Predicate<Product>> c : filterCases().entrySet()) {
      long matching = products().values().stream().filter(c.getValue()).count();
      assertTrue(
          matching > 10,
          "the fixture filter " + c.getKey() + " must match some products, matches " + matching);
      for (int q = 0; q < 2; q++) {
        float[] query = vectors().get(ids.get(random.nextInt(ids.size())));
        SearchResults results =
            searcher().similarToVector(query, c.getKey(), SearchOptions.top(20));
        assertEquals(
            Math.min(20, matching), results.hits().size(), backend() + " filter " + c.getKey());
        for (SearchHit hit : results.hits()) {
          assertTrue(
              c.getValue().test(products().get(hit.item().id())),
              backend() + " hit " + hit.item().id() + " breaks " + c.getKey());
        }
      }
    }
  }

  @Test
  void facetsCountTheFilteredSet() {
    Map<SearchFilters, Predicate<Product>> cases = new LinkedHashMap<>();
    cases.put(SearchFilters.NONE, p -> true);
    cases.putAll(filterCases());
    for (Map.Entry<SearchFilters, Predicate<Product>> c : cases.entrySet()) {
      FacetCounts counts = searcher().facets(c.getKey());
      List<Product> matching = products().values().stream().filter(c.getValue()).toList();
      assertEquals(matching.size(), counts.matching(), backend() + " matching for " + c.getKey());
      for (String attribute : SearchFilters.FACET_ATTRIBUTES) {
        Map<String, Long> expected = new TreeMap<>();
        matching.stream()
            .map(p -> p.attribute(attribute))
            .filter(v -> !v.isEmpty())
            .forEach(v -> expected.merge(v, 1L, Long::sum));
        Map<String, Long> got = counts.counts().getOrDefault(attribute, Map.of());
        assertEquals(
            expected, new TreeMap<>(got), backend() + " facet " + attribute + " for " + c.getKey());
        List<Map.Entry<String, Long>> order = new ArrayList<>(got.entrySet());
        for (int i = 1; i < order.size(); i++) {
          Map.Entry<String, Long> a = order.get(i - 1);
          Map.Entry<String, Long> b = order.get(i);
          assertTrue(
              a.getValue() > b.getValue()
                  || (a.getValue().equals(b.getValue()) && a.getKey().compareTo(b.getKey()) < 0),
              backend() + " facet " + attribute + " order: " + a + " before " + b);
        }
      }
    }
  }

  @Test
  void disjunctiveFacetsCountEachMenuUnderTheOtherFilters() {
    SearchFilters filters =
        SearchFilters.NONE
            .anyOf("baseColour", List.of("White", "Black"))
            .and("masterCategory", "Apparel");
    FacetCounts counts = searcher().disjunctiveFacets(filters);
    Predicate<Product> colour = p -> List.of("White", "Black").contains(p.attribute("baseColour"));
    Predicate<Product> apparel = p -> p.attribute("masterCategory").equals("Apparel");
    assertEquals(
        products().values().stream().filter(colour.and(apparel)).count(),
        counts.matching(),
        backend());
    // the colour menu counts every colour of Apparel, the category menu every category of White or
    // Black
    assertEquals(
        valueCounts("baseColour", apparel),
        new TreeMap<>(counts.counts().get("baseColour")),
        backend());
    assertEquals(
        valueCounts("masterCategory", colour),
        new TreeMap<>(counts.counts().get("masterCategory")),
        backend());
    assertTrue(
        counts.counts().get("baseColour").size() > 2,
        "other colours stay on offer: " + counts.counts().get("baseColour"));
    // a menu without a choice counts under all the filters
    assertEquals(
        valueCounts("gender", colour.and(apparel)),
        new TreeMap<>(counts.counts().get("gender")),
        backend());
  }

  @Test
  void browseListsTheFilteredCatalogInOneStableOrder() {
    SearchFilters footwear = SearchFilters.NONE.and("masterCategory", "Footwear");
    List<Product> expected =
        products().values().stream()
            .filter(p -> p.attribute("masterCategory").equals("Footwear"))
            .sorted(
                Comparator.<Product, String>comparing(
                        p -> p.attribute("subCategory"), missingLast())
                    .thenComparing(p -> p.attribute("articleType"), missingLast())
                    .thenComparing(p -> p.attribute("baseColour"), missingLast())
                    .thenComparing(Product::id))
            .toList();
    assertTrue(expected.size() > 25, "fixture has footwear: " + expected.size());
    List<String> paged = new ArrayList<>();
    for (int offset = 0; offset < expected.size(); offset += 10) {
      SearchResults page = searcher().browse(footwear, new SearchOptions(10, offset, false));
      page.hits().forEach(h -> assertEquals(0.0, h.score(), backend()));
      paged.addAll(ids(page));
    }
    assertEquals(expected.stream().map(Product::id).toList(), paged, backend() + " browse order");
    SearchResults all = searcher().browse(SearchFilters.NONE, SearchOptions.top(5));
    assertEquals(5, all.hits().size(), backend());
    assertThrows(
        IllegalArgumentException.class,
        () -> searcher().browse(SearchFilters.expression("nofield:x"), SearchOptions.top(5)));
  }

  private static Comparator<String> missingLast() {
    return (a, b) -> a.isEmpty() == b.isEmpty() ? a.compareTo(b) : a.isEmpty() ? 1 : -1;
  }

  private Map<String, Long> valueCounts(String attribute, Predicate<Product> filter) {
    Map<String, Long> counts = new TreeMap<>();
    products().values().stream()
        .filter(filter)
        .map(p -> p.attribute(attribute))
        .filter(v -> !v.isEmpty())
        .forEach(v -> counts.merge(v, 1L, Long::sum));
    return counts;
  }

  @Test
  void kAndOffsetPageThroughOneOrderWithTiesById() {
    SearchFilters apparel = SearchFilters.NONE.and("masterCategory", "Apparel");
    float[] query = vectors().values().iterator().next();
    SearchResults top = searcher().similarToVector(query, apparel, SearchOptions.top(30));
    assertEquals(30, top.hits().size());
    assertEquals(
        ids(top).subList(10, 20),
        ids(searcher().similarToVector(query, apparel, new SearchOptions(10, 10, false))));
    assertEquals(
        ids(top).subList(29, 30),
        ids(searcher().similarToVector(query, apparel, new SearchOptions(1, 29, false))));
    assertOrdered(top);

    // text scores tie often (BM25 over short names of equal length): the order is by id among them
    SearchResults text = searcher().byText("shirt", SearchFilters.NONE, SearchOptions.top(60));
    assertEquals(60, text.hits().size(), backend());
    assertOrdered(text);
    long ties = 0;
    for (int i = 1; i < text.hits().size(); i++) {
      ties += text.hits().get(i - 1).score() == text.hits().get(i).score() ? 1 : 0;
    }
    assertTrue(ties >= 5, backend() + ": the fixture query must have tied scores, has " + ties);
    for (int offset : new int[] {7, 25, 41}) {
      assertEquals(
          ids(text).subList(offset, offset + 10),
          ids(searcher().byText("shirt", SearchFilters.NONE, new SearchOptions(10, offset, false))),
          backend() + " text page at offset " + offset);
    }
    SearchResults beyond =
        searcher()
            .similarToVector(
                query,
                filterCases().keySet().stream().toList().get(3),
                new SearchOptions(10, 900, false));
    assertTrue(beyond.hits().isEmpty(), backend() + ": a page beyond the matches is empty");
  }

  @Test
  void similarByIdExcludesTheProductAndHonoursTheFilter() {
    String id = vectors().keySet().iterator().next();
    SearchResults top = searcher().similarToItem(id, SearchFilters.NONE, SearchOptions.top(10));
    assertEquals(10, top.hits().size());
    assertFalse(ids(top).contains(id), backend() + " returned the product itself: " + ids(top));
    List<String> truth = bruteForce(vectors().get(id), p -> !p.id().equals(id), 10);
    assertTrue(
        overlap(truth, top) >= 0.9,
        backend() + " similar-to-item vs exact: " + truth + " / " + ids(top));
    assertEquals(
        ids(top).subList(5, 10),
        ids(searcher().similarToItem(id, SearchFilters.NONE, new SearchOptions(5, 5, false))));

    Product p = products().get(id);
    SearchFilters same = SearchFilters.NONE.and("masterCategory", p.attribute("masterCategory"));
    SearchResults filtered = searcher().similarToItem(id, same, SearchOptions.top(20));
    assertEquals(20, filtered.hits().size());
    assertFalse(ids(filtered).contains(id));
    assertTrue(
        filtered.hits().stream()
            .allMatch(
                h ->
                    h.item()
                        .attributes()
                        .get("masterCategory")
                        .equals(p.attribute("masterCategory"))),
        backend() + " " + ids(filtered));
    assertThrows(
        UnknownProductException.class,
        () -> searcher().similarToItem("no-such-id", SearchFilters.NONE, SearchOptions.DEFAULT));
  }

  @Test
  void textQueriesMatchTheNameUnderTheFilter() {
    SearchFilters men = SearchFilters.NONE.and("gender", "Men");
    SearchResults results = searcher().byText("shoes", men, SearchOptions.top(10));
    assertEquals(10, results.hits().size(), backend());
    for (SearchHit hit : results.hits()) {
      assertTrue(
          hit.item()
              .attributes()
              .get("productDisplayName")
              .toLowerCase(Locale.ROOT)
              .contains("shoes"),
          hit.item().id());
      assertEquals("Men", hit.item().attributes().get("gender"), hit.item().id());
    }
    assertTrue(
        searcher()
            .byText("zzyzxnotaword", SearchFilters.NONE, SearchOptions.top(10))
            .hits()
            .isEmpty());
  }

  @Test
  void imageAndHybridQueriesFindTheImagesOwnProduct() throws Exception {
    Product p =
        products().values().stream()
            .filter(x -> x.attribute("masterCategory").equals("Footwear"))
            .findFirst()
            .orElseThrow();
    BufferedImage image = ImageDecoder.decode(p.image());
    SearchFilters footwear = SearchFilters.NONE.and("masterCategory", "Footwear");
    SearchResults byImage = searcher().similarToImage(image, footwear, SearchOptions.top(5));
    assertEquals(
        p.id(),
        byImage.hits().get(0).item().id(),
        backend() + ": an image's own product comes first");
    assertEquals(1.0, byImage.hits().get(0).score(), 1e-4, backend());
    SearchResults hybrid =
        searcher()
            .hybrid(image, p.attribute("productDisplayName"), footwear, SearchOptions.top(10));
    assertEquals(10, hybrid.hits().size(), backend());
    assertTrue(ids(hybrid).subList(0, 3).contains(p.id()), backend() + " hybrid " + ids(hybrid));
    assertTrue(
        hybrid.hits().stream()
            .allMatch(h -> h.item().attributes().get("masterCategory").equals("Footwear")));
    assertOrdered(hybrid);
  }

  @Test
  void badInputIsRefusedNamingTheValue() {
    IllegalArgumentException field =
        assertThrows(
            IllegalArgumentException.class,
            () -> searcher().facets(SearchFilters.expression("colour:Red")));
    assertTrue(field.getMessage().contains("colour"), backend() + ": " + field.getMessage());
    float[] query = vectors().values().iterator().next();
    IllegalArgumentException knnField =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                searcher()
                    .similarToVector(
                        query,
                        SearchFilters.expression("fabric:Silk AND gender:Men"),
                        SearchOptions.DEFAULT));
    assertTrue(knnField.getMessage().contains("fabric"), backend() + ": " + knnField.getMessage());
    IllegalArgumentException syntax =
        assertThrows(
            IllegalArgumentException.class,
            () -> searcher().facets(SearchFilters.expression("gender:(Men")));
    assertTrue(syntax.getMessage().contains("gender:(Men"), backend() + ": " + syntax.getMessage());
    IllegalArgumentException dimension =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                searcher()
                    .similarToVector(new float[3], SearchFilters.NONE, SearchOptions.DEFAULT));
    assertTrue(
        dimension.getMessage().contains("got: 3"), backend() + ": " + dimension.getMessage());
    IllegalArgumentException blank =
        assertThrows(
            IllegalArgumentException.class,
            () -> searcher().byText(" ", SearchFilters.NONE, SearchOptions.DEFAULT));
    assertTrue(blank.getMessage().contains("blank"), backend() + ": " + blank.getMessage());
    // more words than a Boolean query takes: refused naming the count, not a failure inside the
    // engine
    String longText = String.join(" ", java.util.Collections.nCopies(1025, "shirt"));
    IllegalArgumentException tooLong =
        assertThrows(
            IllegalArgumentException.class,
            () -> searcher().byText(longText, SearchFilters.NONE, SearchOptions.DEFAULT));
    assertTrue(
        tooLong.getMessage().contains("1025 words"), backend() + ": " + tooLong.getMessage());
    String limit = String.join(" ", java.util.Collections.nCopies(SearchText.MAX_WORDS, "shirt"));
    assertFalse(
        searcher().byText(limit, SearchFilters.NONE, SearchOptions.DEFAULT).hits().isEmpty(),
        backend());
  }

  @Test
  void recallAt10AgainstExactSearchIsAtLeast095() {
    List<String> ids = new ArrayList<>(vectors().keySet());
    Map<SearchFilters, Predicate<Product>> cases = new LinkedHashMap<>();
    cases.put(SearchFilters.NONE, p -> true);
    cases.putAll(filterCases());
    // warm-up: the first queries of a JVM pay for class loading and compilation
    for (int q = 0; q < 5; q++) {
      searcher()
          .similarToVector(vectors().get(ids.get(q)), SearchFilters.NONE, SearchOptions.top(10));
    }
    Random random = new Random(SEED);
    for (Map.Entry<SearchFilters, Predicate<Product>> c : cases.entrySet()) {
      int queries = 10;
      int exactQueries = 3;
      double recall = 0;
      double exactRecall = 0;
      long[] knnNanos = new long[queries];
      long[] exactNanos = new long[exactQueries];
      for (int q = 0; q < queries; q++) {
        float[] query = vectors().get(ids.get(random.nextInt(ids.size())));
        List<String> truth = bruteForce(query, c.getValue(), 10);
        long t0 = System.nanoTime();
        SearchResults knn = searcher().similarToVector(query, c.getKey(), SearchOptions.top(10));
        long t1 = System.nanoTime();
        knnNanos[q] = t1 - t0;
        recall += overlap(truth, knn);
        if (q < exactQueries) {
          SearchResults exact =
              searcher().similarToVector(query, c.getKey(), SearchOptions.top(10).exactly());
          exactNanos[q] = System.nanoTime() - t1;
          exactRecall += overlap(truth, exact);
        }
      }
      recall /= queries;
      exactRecall /= exactQueries;
      System.out.printf(
          Locale.ROOT,
          "backend=%s filter=%s matching=%d recall@10=%.3f p50_ms=%.1f exact_recall@10=%.3f"
              + " exact_p50_ms=%.1f%n",
          backend(),
          describe(c.getKey()),
          products().values().stream().filter(c.getValue()).count(),
          recall,
          p50(knnNanos),
          exactRecall,
          p50(exactNanos));
      assertTrue(
          recall >= 0.95,
          backend() + " recall@10 " + recall + " for " + c.getKey() + " seed " + SEED);
      assertTrue(
          exactRecall >= 0.99,
          backend() + " exact mode recall@10 " + exactRecall + " for " + c.getKey());
    }
  }

  // --- fixtures and helpers, for subclasses too

  /** The catalog's products by id. */
  protected final Map<String, Product> products() {
    return catalog().products();
  }

  /** The catalog's vectors by id. */
  protected final Map<String, float[]> vectors() {
    return catalog().vectors();
  }

  /**
   * Filters of four kinds (one attribute, two, attribute and year range, expression) and their
   * truth.
   */
  protected static Map<SearchFilters, Predicate<Product>> filterCases() {
    Map<SearchFilters, Predicate<Product>> cases = new LinkedHashMap<>();
    cases.put(
        SearchFilters.NONE.and("masterCategory", "Footwear"),
        p -> p.attribute("masterCategory").equals("Footwear"));
    cases.put(
        SearchFilters.NONE.and("gender", "Women").and("masterCategory", "Apparel"),
        p ->
            p.attribute("gender").equals("Women")
                && p.attribute("masterCategory").equals("Apparel"));
    cases.put(
        SearchFilters.NONE.and("baseColour", "Black").years(Optional.of(2012), Optional.empty()),
        p -> p.attribute("baseColour").equals("Black") && year(p) >= 2012);
    cases.put(
        SearchFilters.NONE
            .anyOf("gender", List.of("Men", "Women"))
            .anyOf("baseColour", List.of("Black", "White", "Blue")),
        p ->
            List.of("Men", "Women").contains(p.attribute("gender"))
                && List.of("Black", "White", "Blue").contains(p.attribute("baseColour")));
    cases.put(
        SearchFilters.expression("masterCategory:Footwear AND year:[2013 TO 2016]"),
        p ->
            p.attribute("masterCategory").equals("Footwear") && year(p) >= 2013 && year(p) <= 2016);
    return cases;
  }

  private static int year(Product p) {
    String y = p.attribute("year");
    return y.isEmpty() ? Integer.MIN_VALUE : Integer.parseInt(y);
  }

  /** The exact top {@code k} of the filtered products by dot product, ties by id. */
  protected final List<String> bruteForce(float[] query, Predicate<Product> filter, int k) {
    record Scored(String id, double score) {}
    List<Scored> all = new ArrayList<>();
    vectors()
        .forEach(
            (id, v) -> {
              if (filter.test(products().get(id))) {
                double dot = 0;
                for (int i = 0; i < v.length; i++) {
                  dot += query[i] * v[i];
                }
                all.add(new Scored(id, dot));
              }
            });
    all.sort(
        Comparator.comparingDouble(Scored::score)
            .reversed()
            .thenComparing(Scored::id, ProductIds.ORDER));
    return all.stream().limit(k).map(Scored::id).toList();
  }

  /** The share of {@code truth} found in {@code results}. */
  protected static double overlap(List<String> truth, SearchResults results) {
    if (truth.isEmpty()) {
      return results.hits().isEmpty() ? 1 : 0;
    }
    Set<String> got = new HashSet<>(ids(results));
    return truth.stream().filter(got::contains).count() / (double) truth.size();
  }

  /** The hits' ids in order. */
  protected static List<String> ids(SearchResults results) {
    return results.hits().stream().map(h -> h.item().id()).toList();
  }

  private void assertOrdered(SearchResults results) {
    for (int i = 1; i < results.hits().size(); i++) {
      SearchHit a = results.hits().get(i - 1);
      SearchHit b = results.hits().get(i);
      assertTrue(
          a.score() > b.score()
              || (a.score() == b.score() && ProductIds.compare(a.item().id(), b.item().id()) < 0),
          backend()
              + ": "
              + a.item().id()
              + " ("
              + a.score()
              + ") before "
              + b.item().id()
              + " ("
              + b.score()
              + ")");
    }
  }

  private static double p50(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2] / 1e6;
  }

  private static String describe(SearchFilters f) {
    return f.isEmpty()
        ? "none"
        : (f.attributes()
                + " "
                + f.yearFrom().map(y -> "year>=" + y).orElse("")
                + " "
                + f.expression())
            .strip();
  }
}
