package com.fashionsearch.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fashionsearch.data.Catalog;
import com.fashionsearch.data.CatalogReader;
import com.fashionsearch.data.Product;
import com.fashionsearch.indexer.EmbeddingCache;
import com.fashionsearch.indexer.ProgressListener;
import com.fashionsearch.indexer.ReindexOptions;
import com.fashionsearch.indexer.Reindexer;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import com.fashionsearch.searcher.KnnTuning;
import com.fashionsearch.searcher.LuceneProductSearcher;
import com.fashionsearch.searcher.ProductIds;
import com.fashionsearch.searcher.ProductSearcher;
import com.fashionsearch.indexer.ReindexSummary;
import com.fashionsearch.searcher.CatalogItem;
import com.fashionsearch.searcher.FacetCounts;
import com.fashionsearch.searcher.SearchFilters;
import com.fashionsearch.searcher.SearchHit;
import com.fashionsearch.searcher.SearchOptions;
import com.fashionsearch.searcher.SearchResults;
import com.fashionsearch.searcher.UnknownProductException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SolrCloud backend end to end: a 2-node SolrCloud (child JVM, embedded ZooKeeper), the real
 * fashion-1k catalog reindexed into a 2-shard collection through {@link SolrReindexer} with a cheap
 * 4096-d test embedder, then the searcher contract: filters, recall@10 against exact search over the
 * same vectors, paging, facets, errors, an alias switch under query load, and a failed run. The
 * local Lucene backend is built from the same embedding cache (without re-embedding) and the
 * filter, recall and facet checks run against both backends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SolrCloudBackendTest {
  private static final String ALIAS = "products";
  private static final long SEED = 20261127L;

  private Path tmp;

  private LocalSolrCloudProcess cluster;
  private CloudSolrClient client;
  private SolrProductSearcher searcher;
  private LuceneProductSearcher lucene;
  private ReindexSummary luceneSummary;
  private Path catalogDir;
  private Catalog catalog;
  private ReindexSummary first;
  private final Map<String, float[]> vectors = new LinkedHashMap<>();
  private final Map<String, Product> products = new LinkedHashMap<>();

  @BeforeAll
  void startClusterAndReindex(@TempDir Path tempDir) throws Exception {
    tmp = tempDir;
    catalogDir = Path.of(System.getProperty("fashion.shared", "../shared"), "data", "fashion-1k");
    assumeTrue(
        Files.isRegularFile(catalogDir.resolve("styles.csv")),
        "shared catalog " + catalogDir + " is absent: SolrCloud backend test skipped");
    cluster = LocalSolrCloudProcess.start(2, tmp.resolve("solr"));
    client = SolrTarget.zk(cluster.zkHost(), ALIAS).connect();
    first = reindex(cacheDir(), new GrayGridEmbedder());
    // the local backend over the same catalog, from the same embedding cache
    luceneSummary =
        new Reindexer(
                new ReindexOptions(catalogDir, tmp.resolve("index"), 64, false, VectorIndexOptions.DEFAULT),
                GrayGridEmbedder::new,
                ProgressListener.NONE)
            .run();
    lucene = LuceneProductSearcher.open(tmp.resolve("index"), (m, w) -> new GrayGridEmbedder(), KnnTuning.DEFAULT);
    searcher = SolrProductSearcher.open(SolrTarget.urls(String.join(",", cluster.urls()), ALIAS), (m, w) -> new GrayGridEmbedder());

    catalog = new CatalogReader().read(catalogDir, false);
    try (EmbeddingCache cache = EmbeddingCache.open(cacheDir(), "gray-grid", "none", "default", GrayGridEmbedder.DIMENSION)) {
      for (Product p : catalog.products()) {
        float[] v = cache.get(EmbeddingCache.sha256Hex(Files.readAllBytes(p.image())));
        if (v != null) {
          vectors.put(p.id(), v);
          products.put(p.id(), p);
        }
      }
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (searcher != null) {
      searcher.close();
    }
    if (lucene != null) {
      lucene.close();
    }
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The local index's embedding cache, which the Solr reindex shares. */
  private Path cacheDir() {
    return tmp.resolve("index").resolve("cache");
  }

  private Map<String, ProductSearcher> backends() {
    Map<String, ProductSearcher> backends = new LinkedHashMap<>();
    backends.put("lucene", lucene);
    backends.put("solr", searcher);
    return backends;
  }

  private ReindexSummary reindex(Path cacheDir, GrayGridEmbedder embedder) throws IOException {
    SolrReindexOptions options = new SolrReindexOptions(catalogDir, cacheDir, 2, 1, 64, false);
    return new SolrReindexer(options, client, ALIAS, () -> embedder, ProgressListener.NONE).run();
  }

  @Test
  @Order(1)
  void reindexWritesAGenerationBehindTheAlias() throws IOException {
    assertEquals(1, first.generation());
    assertTrue(first.previous().isEmpty());
    assertTrue(first.indexed() > 900, "indexed " + first.indexed());
    assertEquals(first.indexed(), first.embedded(), "a fresh cache embeds every image");
    SolrGenerations generations = new SolrGenerations(client, ALIAS);
    assertEquals(Optional.of(ALIAS + "_g1"), generations.aliasTarget());
    assertEquals(1, searcher.info().generation());
    assertEquals(first.indexed(), searcher.info().documents());
    assertEquals("gray-grid", searcher.info().modelId());
    assertEquals(GrayGridEmbedder.DIMENSION, searcher.info().dimension());
    assertEquals(first.indexed(), vectors.size());
    assertEquals(first.indexed(), luceneSummary.indexed(), "both backends hold the same products");
    assertEquals(0, luceneSummary.embedded(), "the local backend reuses the embeddings: nothing re-embedded");
  }

  @Test
  @Order(2)
  void itemsReadBackWithEveryAttribute() {
    Product p = products.values().iterator().next();
    CatalogItem item = searcher.item(p.id()).orElseThrow();
    assertEquals(p.id(), item.id());
    assertEquals(p.attributes().keySet().stream().filter(item.attributes()::containsKey).count(), item.attributes().size());
    for (String column : item.attributes().keySet()) {
      assertEquals(p.attribute(column), item.attributes().get(column), column);
    }
    assertEquals(p.image().getFileName().toString(), item.image());
    assertTrue(searcher.item("no-such-id").isEmpty());
  }

  @Test
  @Order(3)
  void filteredQueriesReturnOnlyMatchingProducts() {
    Map<SearchFilters, Predicate<Product>> cases = filterCases();
    List<String> ids = new ArrayList<>(vectors.keySet());
    for (Map.Entry<String, ProductSearcher> backend : backends().entrySet()) {
    ProductSearcher searcher = backend.getValue();
    Random random = new Random(SEED);
    for (Map.Entry<SearchFilters, Predicate<Product>> c : cases.entrySet()) {
      long matching = products.values().stream().filter(c.getValue()).count();
      assertTrue(matching > 10, "the fixture filter " + c.getKey() + " must match some products, matches " + matching);
      for (int q = 0; q < 2; q++) {
        float[] query = vectors.get(ids.get(random.nextInt(ids.size())));
        SearchResults results = searcher.similarToVector(query, c.getKey(), SearchOptions.top(20));
        assertEquals(Math.min(20, matching), results.hits().size(), "filter " + c.getKey() + " seed " + SEED);
        for (SearchHit hit : results.hits()) {
          assertTrue(
              c.getValue().test(products.get(hit.item().id())),
              backend.getKey() + " hit " + hit.item().id() + " breaks " + c.getKey());
        }
      }
      assertEquals(lucene.facets(c.getKey()), this.searcher.facets(c.getKey()), "facets of both backends for " + c.getKey());
    }
    }
  }

  @Test
  @Order(4)
  void recallAt10AgainstExactSearchIsAtLeast095() {
    List<String> ids = new ArrayList<>(vectors.keySet());
    Map<SearchFilters, Predicate<Product>> cases = new LinkedHashMap<>();
    cases.put(SearchFilters.NONE, p -> true);
    cases.putAll(filterCases());
    for (Map.Entry<String, ProductSearcher> backend : backends().entrySet()) {
      ProductSearcher searcher = backend.getValue();
      // warm-up: the first queries of a JVM pay for class loading and compilation
      for (int q = 0; q < 5; q++) {
        searcher.similarToVector(vectors.get(ids.get(q)), SearchFilters.NONE, SearchOptions.top(10));
      }
      Random random = new Random(SEED);
      for (Map.Entry<SearchFilters, Predicate<Product>> c : cases.entrySet()) {
        double recall = 0;
        double exactRecall = 0;
        int queries = 10;
        int exactQueries = 3;
        long[] knnNanos = new long[queries];
        long[] exactNanos = new long[exactQueries];
        for (int q = 0; q < queries; q++) {
          float[] query = vectors.get(ids.get(random.nextInt(ids.size())));
          List<String> truth = bruteForce(query, c.getValue(), 10);
          long t0 = System.nanoTime();
          SearchResults knn = searcher.similarToVector(query, c.getKey(), SearchOptions.top(10));
          long t1 = System.nanoTime();
          knnNanos[q] = t1 - t0;
          recall += overlap(truth, knn);
          if (q < exactQueries) {
            SearchResults exact = searcher.similarToVector(query, c.getKey(), SearchOptions.top(10).exactly());
            exactNanos[q] = System.nanoTime() - t1;
            exactRecall += overlap(truth, exact);
          }
        }
        recall /= queries;
        exactRecall /= exactQueries;
        System.out.printf(
            java.util.Locale.ROOT,
            "backend=%s filter=%s matching=%d recall@10=%.3f p50_ms=%.1f exact_recall@10=%.3f exact_p50_ms=%.1f%n",
            backend.getKey(), describe(c.getKey()), products.values().stream().filter(c.getValue()).count(),
            recall, p50(knnNanos), exactRecall, p50(exactNanos));
        assertTrue(recall >= 0.95, backend.getKey() + " recall@10 " + recall + " for " + c.getKey() + " seed " + SEED);
        assertTrue(exactRecall >= 0.99, backend.getKey() + " exact mode recall@10 " + exactRecall + " for " + c.getKey());
      }
    }
  }

  private static double p50(long[] nanos) {
    long[] sorted = nanos.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2] / 1e6;
  }

  @Test
  @Order(5)
  void similarToItemExcludesTheItemAndPagesConsistently() {
    String id = vectors.keySet().iterator().next();
    SearchResults top = searcher.similarToItem(id, SearchFilters.NONE, SearchOptions.top(10));
    assertEquals(10, top.hits().size());
    assertTrue(top.hits().stream().noneMatch(h -> h.item().id().equals(id)));
    List<String> truth = bruteForce(vectors.get(id), p -> !p.id().equals(id), 10);
    assertTrue(overlap(truth, top) >= 0.9, "similar-to-item vs exact: " + truth + " / " + ids(top));
    SearchResults second = searcher.similarToItem(id, SearchFilters.NONE, new SearchOptions(5, 5, false));
    assertEquals(ids(top).subList(5, 10), ids(second));
    for (int i = 1; i < top.hits().size(); i++) {
      SearchHit a = top.hits().get(i - 1);
      SearchHit b = top.hits().get(i);
      assertTrue(a.score() > b.score() || (a.score() == b.score() && ProductIds.compare(a.item().id(), b.item().id()) < 0));
    }
  }

  @Test
  @Order(6)
  void facetsCountTheFilteredSet() {
    SearchFilters women = SearchFilters.NONE.and("gender", "Women");
    FacetCounts counts = searcher.facets(women);
    long expected = products.values().stream().filter(p -> p.attribute("gender").equals("Women")).count();
    assertEquals(expected, counts.matching());
    Map<String, Long> byCategory = new TreeMap<>();
    products.values().stream()
        .filter(p -> p.attribute("gender").equals("Women") && !p.attribute("masterCategory").isEmpty())
        .forEach(p -> byCategory.merge(p.attribute("masterCategory"), 1L, Long::sum));
    assertEquals(byCategory, new TreeMap<>(counts.counts().get("masterCategory")));
    assertEquals(Map.of("Women", expected), counts.counts().get("gender"));
    List<Long> values = new ArrayList<>(counts.counts().get("articleType").values());
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(Comparator.reverseOrder());
    assertEquals(sorted, values);
  }

  @Test
  @Order(7)
  void textSearchMatchesTheName() {
    SearchResults results = searcher.byText("shoes", SearchFilters.NONE, SearchOptions.top(10));
    assertFalse(results.hits().isEmpty());
    for (SearchHit hit : results.hits()) {
      assertTrue(hit.item().attributes().get("productDisplayName").toLowerCase(java.util.Locale.ROOT).contains("shoes"), hit.item().id());
    }
  }

  @Test
  @Order(7)
  void imageAndHybridQueriesFindTheImagesProductOnBothBackends() throws Exception {
    Product p = products.values().stream().filter(x -> x.attribute("masterCategory").equals("Footwear")).findFirst().orElseThrow();
    java.awt.image.BufferedImage image = com.fashionsearch.models.ImageDecoder.decode(p.image());
    SearchFilters footwear = SearchFilters.NONE.and("masterCategory", "Footwear");
    for (Map.Entry<String, ProductSearcher> backend : backends().entrySet()) {
      SearchResults byImage = backend.getValue().similarToImage(image, footwear, SearchOptions.top(5));
      assertEquals(p.id(), byImage.hits().get(0).item().id(), backend.getKey() + ": an image's own product comes first");
      assertEquals(1.0, byImage.hits().get(0).score(), 1e-4, backend.getKey());
      SearchResults hybrid =
          backend.getValue().hybrid(image, p.attribute("productDisplayName"), footwear, SearchOptions.top(10));
      assertEquals(10, hybrid.hits().size(), backend.getKey());
      assertTrue(ids(hybrid).subList(0, 5).contains(p.id()), backend.getKey() + " hybrid " + ids(hybrid));
      assertTrue(hybrid.hits().stream().allMatch(h -> h.item().attributes().get("masterCategory").equals("Footwear")));
    }
  }

  @Test
  @Order(8)
  void badInputIsRefusedNamingTheValue() {
    IllegalArgumentException field =
        assertThrows(IllegalArgumentException.class, () -> searcher.facets(SearchFilters.expression("colour:Red")));
    assertTrue(field.getMessage().contains("colour"), field.getMessage());
    IllegalArgumentException syntax =
        assertThrows(IllegalArgumentException.class, () -> searcher.facets(SearchFilters.expression("gender:(Men")));
    assertTrue(syntax.getMessage().contains("gender:(Men"), syntax.getMessage());
    UnknownProductException unknown =
        assertThrows(UnknownProductException.class, () -> searcher.similarToItem("no-such-id", SearchFilters.NONE, SearchOptions.DEFAULT));
    assertEquals("no-such-id", unknown.id());
    IllegalArgumentException dimension =
        assertThrows(IllegalArgumentException.class, () -> searcher.similarToVector(new float[3], SearchFilters.NONE, SearchOptions.DEFAULT));
    assertTrue(dimension.getMessage().contains("got: 3"), dimension.getMessage());
    IllegalArgumentException blank =
        assertThrows(IllegalArgumentException.class, () -> searcher.byText(" ", SearchFilters.NONE, SearchOptions.DEFAULT));
    assertTrue(blank.getMessage().contains("blank"), blank.getMessage());
  }

  @Test
  @Order(9)
  void aliasSwitchUnderQueryLoadFailsNoRequest() throws Exception {
    List<String> ids = new ArrayList<>(vectors.keySet());
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger done = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    Set<Long> generationsSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      long seed = SEED + t;
      int kind = t;
      threads.add(Thread.ofPlatform().name("load-" + t).start(() -> {
        Random random = new Random(seed);
        while (!stop.get()) {
          try {
            float[] query = vectors.get(ids.get(random.nextInt(ids.size())));
            if (kind == 2) {
              // straight through the alias, as any other Solr client would
              ModifiableSolrParams params = new ModifiableSolrParams();
              params.set("q", "{!knn f=embedding topK=10}" + java.util.Arrays.toString(query).replace(" ", ""));
              params.set("fq", SolrSchema.PRODUCTS_ONLY);
              params.set("rows", 10);
              long found = client.query(ALIAS, params, SolrRequest.METHOD.POST).getResults().size();
              if (found != 10) {
                throw new AssertionError("alias query returned " + found + " results");
              }
            } else {
              SearchResults r = searcher.similarToVector(query, SearchFilters.NONE.and("masterCategory", "Apparel"), SearchOptions.top(10));
              if (r.hits().size() != 10) {
                throw new AssertionError("searcher returned " + r.hits().size() + " results");
              }
              generationsSeen.add(r.index().generation());
              if (random.nextInt(4) == 0) {
                searcher.refresh();
              }
            }
            done.incrementAndGet();
          } catch (Throwable e) {
            failures.add(e);
          }
        }
      }));
    }
    ReindexSummary second;
    try {
      second = reindex(cacheDir(), new GrayGridEmbedder());
      Thread.sleep(500);
      searcher.refresh();
      Thread.sleep(500);
    } finally {
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
    }
    failures.forEach(Throwable::printStackTrace);
    System.out.printf(java.util.Locale.ROOT, "alias switch under load: %d requests, %d failed, generations seen %s%n",
        done.get(), failures.size(), generationsSeen);
    assertEquals(0, failures.size(), "requests failed during the alias switch");
    assertTrue(done.get() > 20, "load ran " + done.get() + " requests");
    assertEquals(2, second.generation());
    assertEquals(1, second.previous().getAsLong());
    assertEquals(0, second.embedded(), "the embedding cache is reused: nothing re-embedded");
    assertEquals(second.indexed(), second.fromCache());
    assertEquals(Set.of(1L, 2L), generationsSeen);
    assertEquals(2, searcher.info().generation());
    assertEquals(List.of(1L, 2L), new SolrGenerations(client, ALIAS).existing(), "previous generation kept");
  }

  @Test
  @Order(10)
  void aFailedRunLeavesTheAliasAndIsCleanedUpByTheNext() throws Exception {
    SolrGenerations generations = new SolrGenerations(client, ALIAS);
    // an empty cache makes the embedder run; it fails on its third batch, mid-way through the collection
    assertThrows(IllegalStateException.class, () -> reindex(tmp.resolve("empty-cache"), new GrayGridEmbedder(2)));
    assertEquals(Optional.of(ALIAS + "_g2"), generations.aliasTarget());
    assertEquals(List.of(1L, 2L, 3L), generations.existing());
    assertFalse(searcher.refresh());
    assertEquals(10, searcher.similarToVector(vectors.values().iterator().next(), SearchFilters.NONE, SearchOptions.top(10)).hits().size());

    ReindexSummary next = reindex(cacheDir(), new GrayGridEmbedder());
    assertEquals(4, next.generation());
    assertEquals(List.of(2L, 4L), generations.existing(), "leftover g3 and old g1 deleted, previous g2 kept");
    assertTrue(searcher.refresh());
    assertEquals(4, searcher.info().generation());
  }

  // --- helpers

  private static Map<SearchFilters, Predicate<Product>> filterCases() {
    Map<SearchFilters, Predicate<Product>> cases = new LinkedHashMap<>();
    cases.put(SearchFilters.NONE.and("masterCategory", "Footwear"), p -> p.attribute("masterCategory").equals("Footwear"));
    cases.put(
        SearchFilters.NONE.and("gender", "Women").and("masterCategory", "Apparel"),
        p -> p.attribute("gender").equals("Women") && p.attribute("masterCategory").equals("Apparel"));
    cases.put(
        SearchFilters.NONE.and("baseColour", "Black").years(Optional.of(2012), Optional.empty()),
        p -> p.attribute("baseColour").equals("Black") && !p.attribute("year").isEmpty() && Integer.parseInt(p.attribute("year")) >= 2012);
    cases.put(
        SearchFilters.expression("masterCategory:Footwear AND year:[2013 TO 2016]"),
        p -> p.attribute("masterCategory").equals("Footwear")
            && !p.attribute("year").isEmpty()
            && Integer.parseInt(p.attribute("year")) >= 2013
            && Integer.parseInt(p.attribute("year")) <= 2016);
    return cases;
  }

  private static String describe(SearchFilters f) {
    return f.isEmpty() ? "none" : (f.attributes() + " " + f.yearFrom().map(y -> "year>=" + y).orElse("") + " " + f.expression()).strip();
  }

  private List<String> bruteForce(float[] query, Predicate<Product> filter, int k) {
    record Scored(String id, double score) {}
    List<Scored> all = new ArrayList<>();
    vectors.forEach((id, v) -> {
      if (filter.test(products.get(id))) {
        double dot = 0;
        for (int i = 0; i < v.length; i++) {
          dot += query[i] * v[i];
        }
        all.add(new Scored(id, dot));
      }
    });
    all.sort(Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::id, ProductIdOrder.BY_ID));
    return all.stream().limit(k).map(Scored::id).toList();
  }

  private static double overlap(List<String> truth, SearchResults results) {
    if (truth.isEmpty()) {
      return results.hits().isEmpty() ? 1 : 0;
    }
    Set<String> got = new HashSet<>(ids(results));
    return truth.stream().filter(got::contains).count() / (double) truth.size();
  }

  private static List<String> ids(SearchResults results) {
    return results.hits().stream().map(h -> h.item().id()).toList();
  }
}
