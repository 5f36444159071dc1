package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.Product;
import com.fashionsearch.indexer.IndexGenerations;
import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.indexer.SyntheticVectors;
import com.fashionsearch.indexer.VectorClusters;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generation with clusters answers a query under a filter from the matches of the clusters
 * nearest the query, scored exactly: exact results when the candidates cover every match, high
 * recall when they do not, only the filter's matches, whole clusters in the order of their
 * centroids; a filter with nothing near the query still fills the page; a damaged clusters file
 * costs speed, not answers.
 */
class ClusteredSearchTest {
  private static final int N = 3000;
  private static final int DIM = 512;

  @TempDir Path dir;
  private float[][] vectors;
  private float[][] queries;
  private Path generation;

  @BeforeEach
  void writeClusteredIndex() throws IOException {
    float[][] all = SyntheticVectors.clustered(N + 20, DIM, 40, 17);
    vectors = Arrays.copyOfRange(all, 0, N);
    queries = Arrays.copyOfRange(all, N, N + 20);
    List<Product> products = TestIndexes.farFromQuery(dir, vectors, queries[0]);
    long n =
        TestIndexes.writeGeneration(
            dir.resolve("index"),
            dir,
            products,
            List.of(vectors),
            false,
            VectorIndexOptions.RECOMMENDED.resolve(DIM),
            1);
    generation = new IndexGenerations(dir.resolve("index")).generationDir(n);
    // as fashion reindex does once the generation is committed
    try (FSDirectory d = FSDirectory.open(generation);
        DirectoryReader reader = DirectoryReader.open(d)) {
      VectorClusters.build(reader, IndexSchema.VECTOR).orElseThrow().write(generation);
    }
  }

  private LuceneProductSearcher open(KnnTuning tuning) throws IOException {
    return LuceneProductSearcher.open(
        dir.resolve("index"),
        (m, w) -> {
          throw new IllegalStateException("queries are vectors");
        },
        tuning,
        1);
  }

  private static final List<SearchFilters> FILTERS =
      List.of(
          SearchFilters.NONE.and("masterCategory", "Apparel"),
          SearchFilters.NONE.and("subCategory", "Far"),
          SearchFilters.NONE.and("subCategory", "Near"),
          SearchFilters.NONE.and("gender", "Women").and("baseColour", "Blue"));

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(h -> h.item().id()).toList();
  }

  @Test
  void candidatesCoveringEveryMatchGiveTheExactResults() throws IOException {
    try (LuceneProductSearcher searcher = open(KnnTuning.DEFAULT.withClusterCandidates(N))) {
      OpenGeneration g = searcher.acquire();
      try {
        assertTrue(g.clusters.isPresent(), "the generation's clusters are read");
        assertEquals(30, g.clusters.get().clusters(), "3,000 vectors: 100 a cluster");
      } finally {
        g.release();
      }
      for (SearchFilters filter : FILTERS) {
        for (float[] q : queries) {
          List<SearchHit> approximate =
              searcher.similarToVector(q, filter, SearchOptions.top(10)).hits();
          List<SearchHit> exact =
              searcher.similarToVector(q, filter, SearchOptions.top(10).exactly()).hits();
          assertEquals(ids(exact), ids(approximate), filter.toString());
          for (int i = 0; i < 10; i++) {
            assertEquals(exact.get(i).score(), approximate.get(i).score(), 1e-6);
          }
        }
      }
    }
  }

  @Test
  void theDefaultCandidatesFindTheExactNeighboursUnderEveryFilter() throws IOException {
    try (LuceneProductSearcher searcher = open(KnnTuning.DEFAULT)) {
      for (SearchFilters filter : FILTERS) {
        double recall = 0;
        for (float[] q : queries) {
          List<SearchHit> approximate =
              searcher.similarToVector(q, filter, SearchOptions.top(10)).hits();
          assertEquals(10, approximate.size(), filter.toString());
          for (SearchHit hit : approximate) {
            float[] v =
                SyntheticVectors.normalise(vectors[Integer.parseInt(hit.item().id())].clone());
            assertEquals(IndexSchema.SIMILARITY.compare(q, v), hit.score(), 1e-5, "exact score");
            assertTrue(filter.acceptsAttributes(hit.item().attributes()), filter.toString());
          }
          Set<String> expected =
              new HashSet<>(
                  ids(searcher.similarToVector(q, filter, SearchOptions.top(10).exactly()).hits()));
          recall +=
              approximate.stream().filter(h -> expected.contains(h.item().id())).count() / 10.0;
        }
        recall /= queries.length;
        assertTrue(recall >= 0.95, "recall@10 " + recall + " under " + filter);
      }
    }
  }

  @Test
  void theProbeTakesWholeClustersNearestFirstAndOnlyTheFiltersMatches() throws IOException {
    VectorClusters clusters = VectorClusters.read(generation, N, DIM);
    ClusterProbe probe = new ClusterProbe(clusters);
    try (LuceneProductSearcher searcher = open(KnnTuning.DEFAULT)) {
      OpenGeneration g = searcher.acquire();
      try {
        // the farthest 40% of the catalog, from the first query: no match lies near it
        Query far = FilterQueries.toQuery(SearchFilters.NONE.and("subCategory", "Far"));
        int matching = g.searcher.count(far);
        int[] matches = KnnPlanner.listMatches(g.searcher, far, matching);
        float[] q = SyntheticVectors.normalise(queries[0].clone());
        int[] candidates = probe.candidates(g.searcher, far, matching, q, 300);
        assertTrue(
            candidates.length >= 300 && candidates.length < matching,
            candidates.length + " of " + matching);
        Set<Integer> matchSet = new HashSet<>();
        for (int m : matches) {
          matchSet.add(m);
        }
        int[] sorted = candidates.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, candidates, "ascending docs");
        Set<Short> probed = new HashSet<>();
        for (int doc : candidates) {
          assertTrue(matchSet.contains(doc), "only the filter's matches: " + doc);
          probed.add(clusters.clusterOf()[doc]);
        }
        // every match of a probed cluster is a candidate
        for (int m : matches) {
          if (probed.contains(clusters.clusterOf()[m])) {
            assertTrue(Arrays.binarySearch(candidates, m) >= 0, "whole clusters: " + m);
          }
        }
        // the probed clusters are the nearest ones that hold matches
        float worstProbed = Float.POSITIVE_INFINITY;
        for (short c : probed) {
          worstProbed = Math.min(worstProbed, VectorUtil.dotProduct(q, clusters.centroids()[c]));
        }
        Set<Short> withMatches = new HashSet<>();
        for (int m : matches) {
          withMatches.add(clusters.clusterOf()[m]);
        }
        for (short c : withMatches) {
          if (!probed.contains(c)) {
            assertTrue(
                VectorUtil.dotProduct(q, clusters.centroids()[c]) <= worstProbed,
                "cluster " + c + " is nearer than a probed one");
          }
        }
        // a filter with fewer matches than asked for gives them all
        assertArrayEquals(matches, probe.candidates(g.searcher, far, matching, q, matching));
        // the matches grouped once give the same candidates
        ClusterProbe.Grouped grouped = probe.group(matches);
        assertEquals(matching, grouped.docs().length);
        assertArrayEquals(candidates, probe.candidates(grouped, q, 300));
        assertArrayEquals(matches, probe.candidates(grouped, q, matching));
      } finally {
        g.release();
      }
    }
  }

  /** The choice {@code g} made for {@code filters} when a query first ran under them. */
  private static OpenGeneration.FilterChoice chosen(OpenGeneration g, SearchFilters filters)
      throws IOException {
    return g.filterChoice(
        FilterQueries.toQuery(filters),
        f -> {
          throw new AssertionError("chosen again");
        });
  }

  @Test
  void aFiltersMatchesAreGroupedOnceWithinABudget() throws IOException {
    try (LuceneProductSearcher searcher = open(KnnTuning.DEFAULT)) {
      SearchFilters apparel = SearchFilters.NONE.and("masterCategory", "Apparel");
      searcher.similarToVector(queries[0], apparel, SearchOptions.top(10));
      OpenGeneration g = searcher.acquire();
      try {
        OpenGeneration.FilterChoice choice = chosen(g, apparel);
        assertEquals(N / 2, choice.matching());
        assertEquals(N / 2, choice.grouped().docs().length, "Apparel's matches, grouped");
        // the budget: what is left of it, then nothing more
        assertTrue(
            g.reserveGroupedBytes(OpenGeneration.MAX_GROUPED_BYTES - choice.grouped().bytes()));
        assertFalse(g.reserveGroupedBytes(1));
        SearchFilters women = SearchFilters.NONE.and("gender", "Women");
        List<SearchHit> hits =
            searcher.similarToVector(queries[0], women, SearchOptions.top(10)).hits();
        assertEquals(10, hits.size(), "answered without grouping");
        OpenGeneration.FilterChoice ungrouped = chosen(g, women);
        assertEquals(N / 4, ungrouped.matching());
        assertNull(ungrouped.grouped(), "past the budget a filter's matches are not kept");
      } finally {
        g.release();
      }
    }
  }

  @Test
  void aDamagedClustersFileIsLeftUnusedAndQueriesStillAnswer() throws IOException {
    List<List<String>> withoutClusters = new ArrayList<>();
    Path file = generation.resolve(VectorClusters.FILE);
    byte[] good = Files.readAllBytes(file);
    Files.delete(file);
    try (LuceneProductSearcher searcher = open(KnnTuning.DEFAULT)) {
      for (SearchFilters filter : FILTERS) {
        withoutClusters.add(
            ids(searcher.similarToVector(queries[1], filter, SearchOptions.top(10)).hits()));
      }
    }
    byte[] damaged = good.clone();
    damaged[damaged.length / 3] ^= 0x01;
    Files.write(file, damaged);
    try (LuceneProductSearcher searcher = open(KnnTuning.DEFAULT)) {
      OpenGeneration g = searcher.acquire();
      try {
        assertTrue(g.clusters.isEmpty(), "a damaged file is not used");
      } finally {
        g.release();
      }
      for (int f = 0; f < FILTERS.size(); f++) {
        assertEquals(
            withoutClusters.get(f),
            ids(searcher.similarToVector(queries[1], FILTERS.get(f), SearchOptions.top(10)).hits()),
            "answered as without clusters: " + FILTERS.get(f));
      }
    }
  }
}
