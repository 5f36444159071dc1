package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.Product;
import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.indexer.SyntheticVectors;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import com.fashionsearch.indexer.codec.VectorIndexOptions.Quantization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A BBQ-quantized index, as {@code fashion reindex} writes for 384 dimensions or more: results carry
 * exact scores (rescored with the raw floats) and agree with exact search, whether the query walks
 * the graph (no filter, or a filter matching half the catalog) or scans the quantized vectors (a
 * narrower filter).
 */
class QuantizedSearchTest {
  private static final int N = 2000;
  private static final int DIM = 512;

  @TempDir Path dir;
  private float[][] vectors;
  private float[][] queries;
  private final List<Product> products = new ArrayList<>();

  @BeforeEach
  void writeIndex() throws IOException {
    float[][] all = SyntheticVectors.clustered(N + 20, DIM, 40, 11);
    vectors = Arrays.copyOfRange(all, 0, N);
    queries = Arrays.copyOfRange(all, N, N + 20);
    for (int i = 0; i < N; i++) {
      products.add(TestIndexes.product(dir, Integer.toString(i), i % 4 == 0 ? "Women" : "Men",
          i % 2 == 0 ? "Apparel" : "Footwear", "Sub", "Type", i % 10 == 3 ? "Red" : "Blue", 2012, "Product " + i));
    }
    VectorIndexOptions options = VectorIndexOptions.RECOMMENDED.resolve(DIM);
    assertEquals(Quantization.BBQ, options.quantization(), "auto quantizes 512 dimensions");
    TestIndexes.writeGeneration(dir.resolve("index"), dir, products, List.of(vectors), false, options);
  }

  @Test
  void resultsAreRescoredExactlyAndAgreeWithExactSearchOnEveryPath() throws IOException {
    List<SearchFilters> filters = List.of(
        SearchFilters.NONE,
        new SearchFilters(Map.of("masterCategory", "Apparel"), Optional.empty(), Optional.empty(), ""),
        new SearchFilters(Map.of("baseColour", "Red"), Optional.empty(), Optional.empty(), ""),
        new SearchFilters(Map.of("gender", "Women", "baseColour", "Blue"), Optional.empty(), Optional.empty(), ""));
    try (LuceneProductSearcher searcher = LuceneProductSearcher.open(dir.resolve("index"), (m, w) -> {
      throw new IllegalStateException("queries are vectors");
    }, KnnTuning.DEFAULT)) {
      for (SearchFilters filter : filters) {
        double recall = 0;
        for (float[] q : queries) {
          SearchResults approximate = searcher.similarToVector(q, filter, SearchOptions.top(10));
          SearchResults exact = searcher.similarToVector(q, filter, SearchOptions.top(10).exactly());
          assertEquals(10, approximate.hits().size(), filter.toString());
          for (SearchHit hit : approximate.hits()) {
            float[] v = SyntheticVectors.normalise(vectors[Integer.parseInt(hit.item().id())].clone());
            assertEquals(IndexSchema.SIMILARITY.compare(q, v), hit.score(), 1e-5, "an exact score for " + hit.item().id());
            filter.attributes().forEach((k, value) -> assertEquals(value, hit.item().attributes().get(k)));
          }
          Set<String> expected = new HashSet<>();
          exact.hits().forEach(h -> expected.add(h.item().id()));
          recall += approximate.hits().stream().filter(h -> expected.contains(h.item().id())).count() / 10.0;
        }
        recall /= queries.length;
        assertTrue(recall >= 0.95, "recall@10 " + recall + " under " + filter);
      }
    }
  }
}
