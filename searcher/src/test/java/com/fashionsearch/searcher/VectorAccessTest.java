package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.Product;
import com.fashionsearch.indexer.SyntheticVectors;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lucene's public API ({@link VectorAccess#PUBLIC}), which the searcher falls back to on a Lucene
 * version its internals were not checked on, gives the same pages as the internals, on every path a
 * query takes on a BBQ index: the graph walk, the quantized scan (in two passes over the codes with
 * the internals, one with the public API) and exact search.
 */
class VectorAccessTest {
  private static final int N = 2000;
  private static final int DIM = 512;

  @TempDir Path dir;
  private final List<Product> products = new ArrayList<>();
  private float[][] vectors;
  private float[][] queries;

  private Path writeIndex() throws IOException {
    float[][] all = SyntheticVectors.clustered(N + 8, DIM, 40, 17);
    vectors = Arrays.copyOfRange(all, 0, N);
    queries = Arrays.copyOfRange(all, N, N + 8);
    for (int i = 0; i < N; i++) {
      products.add(
          TestIndexes.product(
              dir,
              Integer.toString(i),
              i % 4 == 0 ? "Women" : "Men",
              "Apparel",
              "Topwear",
              "Type",
              i % 10 == 3 ? "Red" : "Blue",
              2012,
              "Product " + i));
    }
    VectorIndexOptions options = VectorIndexOptions.RECOMMENDED.resolve(DIM);
    assertEquals(
        VectorIndexOptions.Quantization.BBQ,
        options.quantization(),
        "auto quantizes 512 dimensions");
    Path index = dir.resolve("index");
    TestIndexes.writeGeneration(index, dir, products, List.of(vectors), false, options, 1);
    return index;
  }

  private static LuceneProductSearcher open(Path index, KnnTuning tuning, boolean internals)
      throws IOException {
    return LuceneProductSearcher.open(
        index,
        (m, w) -> {
          throw new IllegalStateException("queries are vectors");
        },
        tuning,
        1,
        internals);
  }

  @Test
  void thePublicApiGivesTheInternalsPagesOnEveryPath() throws IOException {
    Path index = writeIndex();
    SearchFilters men = SearchFilters.NONE.and("gender", "Men");
    SearchFilters red = SearchFilters.NONE.and("baseColour", "Red");
    KnnTuning walk = KnnTuning.DEFAULT.withScanBelowPercent(0).withScanBlocksBelowPercent(0);
    // every filter scanned; 10 candidates: 52 kept, so the 1,500 men are estimated first (two
    // passes)
    KnnTuning scan = KnnTuning.DEFAULT.withMinCandidates(10).withScanBelowPercent(100);
    assertTrue(
        1500 > QuantizedScan.TWO_PASS_MIN_RATIO * QuantizedScan.FIRST_PASS_FACTOR * 52,
        "two passes under gender=Men");
    for (KnnTuning tuning : List.of(walk, scan)) {
      try (LuceneProductSearcher fast = open(index, tuning, true);
          LuceneProductSearcher plain = open(index, tuning, false)) {
        assertEquals(VectorAccess.Kind.LUCENE_INTERNALS, fast.vectorAccess());
        assertEquals(VectorAccess.Kind.PUBLIC_API, plain.vectorAccess());
        for (SearchFilters filter : List.of(SearchFilters.NONE, men, red)) {
          for (SearchOptions options :
              List.of(SearchOptions.top(10), SearchOptions.top(10).exactly())) {
            for (int q = 0; q < queries.length; q++) {
              String what = tuning + ", " + filter + ", exact " + options.exact() + ", query " + q;
              assertSamePage(
                  fast.similarToVector(queries[q], filter, options),
                  plain.similarToVector(queries[q], filter, options),
                  what);
            }
          }
        }
      }
    }
  }

  @Test
  void theSystemPropertyForcesThePublicApi() throws IOException {
    Path index = writeIndex();
    String before = System.getProperty(VectorAccess.PROPERTY);
    System.setProperty(VectorAccess.PROPERTY, "public");
    try (LuceneProductSearcher searcher = open(index, KnnTuning.DEFAULT, true)) {
      assertEquals(VectorAccess.Kind.PUBLIC_API, searcher.vectorAccess());
    } finally {
      if (before == null) {
        System.clearProperty(VectorAccess.PROPERTY);
      } else {
        System.setProperty(VectorAccess.PROPERTY, before);
      }
    }
    try (LuceneProductSearcher searcher = open(index, KnnTuning.DEFAULT, true)) {
      assertEquals(VectorAccess.Kind.LUCENE_INTERNALS, searcher.vectorAccess());
    }
  }

  private static void assertSamePage(SearchResults fast, SearchResults plain, String what) {
    assertEquals(10, fast.hits().size(), what);
    assertEquals(ids(fast), ids(plain), what);
    for (int i = 0; i < fast.hits().size(); i++) {
      assertEquals(
          fast.hits().get(i).score(), plain.hits().get(i).score(), 1e-5, what + ", hit " + i);
    }
  }

  private static List<String> ids(SearchResults results) {
    return results.hits().stream().map(h -> h.item().id()).toList();
  }
}
