package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.Product;
import com.fashionsearch.indexer.IndexGenerations;
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
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A BBQ-quantized index, as {@code fashion reindex} writes for 384 dimensions or more: results
 * carry exact scores (rescored with the raw floats) and agree with exact search, whether the query
 * walks the graph (no filter, or under a filter) or scans the quantized vectors (a narrower
 * filter), including under a filter holding the 40% of the catalog farthest from the first query.
 */
class QuantizedSearchTest {
  private static final int N = 2000;
  private static final int DIM = 512;

  @TempDir Path dir;
  private float[][] vectors;
  private float[][] queries;
  private final List<Product> products = new ArrayList<>();

  private void writeIndex(int segments) throws IOException {
    float[][] all = SyntheticVectors.clustered(N + 20, DIM, 40, 11);
    vectors = Arrays.copyOfRange(all, 0, N);
    queries = Arrays.copyOfRange(all, N, N + 20);
    products.addAll(TestIndexes.farFromQuery(dir, vectors, queries[0]));
    VectorIndexOptions options = VectorIndexOptions.RECOMMENDED.resolve(DIM);
    assertEquals(Quantization.BBQ, options.quantization(), "auto quantizes 512 dimensions");
    TestIndexes.writeGeneration(
        dir.resolve("index"), dir, products, List.of(vectors), false, options, segments);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tunings")
  void resultsAreRescoredExactlyAndAgreeWithExactSearchOnEveryPath(
      String name, KnnTuning tuning, int threads, int segments) throws IOException {
    writeIndex(segments);
    try (FSDirectory d = FSDirectory.open(new IndexGenerations(dir.resolve("index")).currentDir());
        DirectoryReader reader = DirectoryReader.open(d)) {
      assertEquals(segments, reader.leaves().size(), "segments written");
    }
    List<SearchFilters> filters =
        List.of(
            SearchFilters.NONE,
            SearchFilters.NONE.and("masterCategory", "Apparel"),
            SearchFilters.NONE.and("subCategory", "Far"),
            SearchFilters.NONE.and("baseColour", "Red"),
            SearchFilters.NONE.and("gender", "Women").and("baseColour", "Blue"));
    try (LuceneProductSearcher searcher =
        LuceneProductSearcher.open(
            dir.resolve("index"),
            (m, w) -> {
              throw new IllegalStateException("queries are vectors");
            },
            tuning,
            threads)) {
      for (SearchFilters filter : filters) {
        double recall = 0;
        for (float[] q : queries) {
          SearchResults approximate = searcher.similarToVector(q, filter, SearchOptions.top(10));
          SearchResults exact =
              searcher.similarToVector(q, filter, SearchOptions.top(10).exactly());
          assertEquals(10, approximate.hits().size(), filter.toString());
          for (SearchHit hit : approximate.hits()) {
            float[] v =
                SyntheticVectors.normalise(vectors[Integer.parseInt(hit.item().id())].clone());
            assertEquals(
                IndexSchema.SIMILARITY.compare(q, v),
                hit.score(),
                1e-5,
                "an exact score for " + hit.item().id());
            assertTrue(
                filter.acceptsAttributes(hit.item().attributes()),
                filter + " " + hit.item().attributes());
          }
          Set<String> expected = new HashSet<>();
          exact.hits().forEach(h -> expected.add(h.item().id()));
          recall +=
              approximate.hits().stream().filter(h -> expected.contains(h.item().id())).count()
                  / 10.0;
        }
        recall /= queries.length;
        assertTrue(recall >= 0.95, "recall@10 " + recall + " under " + filter + " with " + name);
      }
    }
  }

  @Test
  void aFilterOfFewMatchesIsAnsweredExactlyAndChosenOnceForEverySimilarProduct()
      throws IOException {
    writeIndex(1);
    // Red: 200 products, every one of which a scan would rescore anyway (it rescores 300).
    SearchFilters red = SearchFilters.NONE.and("baseColour", "Red");
    try (LuceneProductSearcher searcher =
        LuceneProductSearcher.open(
            dir.resolve("index"),
            (m, w) -> {
              throw new IllegalStateException("queries are vectors");
            },
            KnnTuning.DEFAULT,
            1)) {
      for (float[] q : queries) {
        List<SearchHit> approximate =
            searcher.similarToVector(q, red, SearchOptions.top(10)).hits();
        List<SearchHit> exact =
            searcher.similarToVector(q, red, SearchOptions.top(10).exactly()).hits();
        assertEquals(ids(exact), ids(approximate), "the exact top 10 of the 200 matches");
        for (int i = 0; i < 10; i++) {
          assertEquals(exact.get(i).score(), approximate.get(i).score(), 1e-5);
        }
      }
      OpenGeneration g = searcher.acquire();
      try {
        OpenGeneration.FilterChoice choice =
            g.filterChoice(
                FilterQueries.toQuery(red),
                f -> {
                  throw new AssertionError("chosen again");
                });
        assertEquals(200, choice.matching());
        assertEquals(200, choice.docs().length, "a filter this narrow keeps its matches");
      } finally {
        g.release();
      }
      // Similar to red products: never the product itself, the exact top 10 of the others, and
      // one choice for the filter whatever the product (a choice per product would fill the cache).
      for (int p = 3; p < N; p += 20) {
        String id = Integer.toString(p);
        List<SearchHit> similar = searcher.similarToItem(id, red, SearchOptions.top(10)).hits();
        float[] v = SyntheticVectors.normalise(vectors[p].clone());
        List<SearchHit> exact =
            searcher.similarToVector(v, red, SearchOptions.top(11).exactly()).hits();
        List<String> expected = new ArrayList<>(ids(exact));
        expected.remove(id);
        assertEquals(expected.subList(0, 10), ids(similar), "similar to " + id);
      }
      OpenGeneration again = searcher.acquire();
      try {
        assertEquals(
            1,
            again.filterChoiceCount(),
            "one choice, for red, whichever product the query started from");
      } finally {
        again.release();
      }
    }
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(h -> h.item().id()).toList();
  }

  static Stream<Arguments> tunings() {
    return Stream.of(
        Arguments.of(
            "default: scan below 30% (or 45% of the blocks), walk under broader filters",
            KnnTuning.DEFAULT, 2, 1),
        Arguments.of("no scan: walk under every filter", KnnTuning.WALK_ONLY, 2, 1),
        Arguments.of("3 segments walked at once", KnnTuning.DEFAULT, 3, 3),
        Arguments.of("3 segments, one thread per query", KnnTuning.DEFAULT, 1, 3));
  }
}
