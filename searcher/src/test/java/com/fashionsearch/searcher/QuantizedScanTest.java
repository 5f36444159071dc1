package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.indexer.SyntheticVectors;
import com.fashionsearch.indexer.codec.FashionCodec;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizedScanTest {
  @TempDir Path dir;

  @Test
  void aSegmentScannedInRangesOnSeveralThreadsGivesWhatOneThreadGives() throws Exception {
    int n = 3 * QuantizedScan.MIN_PARTITION_DOCS;
    float[][] vectors = SyntheticVectors.clustered(n + 5, 32, 30, 5);
    try (FSDirectory d = FSDirectory.open(dir)) {
      try (IndexWriter w =
          new IndexWriter(
              d,
              new IndexWriterConfig()
                  .setCodec(
                      new FashionCodec(
                          new VectorIndexOptions(16, 100, VectorIndexOptions.Quantization.BBQ)))
                  .setRAMBufferSizeMB(256))) {
        for (int i = 0; i < n; i++) {
          Document doc = new Document();
          doc.add(new KeywordField("colour", i % 3 == 0 ? "Red" : "Blue", Field.Store.NO));
          doc.add(new KnnFloatVectorField(IndexSchema.VECTOR, vectors[i], IndexSchema.SIMILARITY));
          w.addDocument(doc);
        }
        w.forceMerge(1);
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try (DirectoryReader reader = DirectoryReader.open(d)) {
        // the 4-range scan runs on the pool through the searcher's TaskExecutor
        QuantizedScan one = new QuantizedScan(1);
        QuantizedScan four = new QuantizedScan(4);
        IndexSearcher searcher = new IndexSearcher(reader);
        IndexSearcher parallel = new IndexSearcher(reader, pool);
        VectorAccess.Selection selection = VectorAccess.select(reader, true);
        assertEquals(
            VectorAccess.Kind.LUCENE_INTERNALS, selection.access().kind(), selection.reason());
        VectorAccess access = selection.access();
        Query red = KeywordField.newExactQuery("colour", "Red");
        for (int q = n; q < n + 5; q++) {
          for (Query filter : Arrays.asList(null, red)) {
            // two passes (estimates, then full scores of the best 4x), then one pass of full scores
            for (int matching : new int[] {n, 0}) {
              int[] expected = one.best(searcher, access, vectors[q], filter, 50, matching);
              int[] actual = four.best(parallel, access, vectors[q], filter, 50, matching);
              Arrays.sort(expected);
              Arrays.sort(actual);
              assertEquals(50, expected.length);
              assertArrayEquals(
                  expected, actual, "query " + q + " filter " + filter + " matching " + matching);
              if (filter != null) {
                Arrays.stream(actual)
                    .forEach(doc -> assertEquals(0, doc % 3, "doc " + doc + " is not Red"));
              }
            }
            // one pass keeps the best by Lucene's own score
            assertArrayEquals(
                lucenesBest(reader, vectors[q], filter == null ? 1 : 3, 50),
                sorted(one.best(searcher, access, vectors[q], filter, 50, 0)));
            // Lucene's public API reaches no codes: however many match, one pass by Lucene's score
            assertArrayEquals(
                lucenesBest(reader, vectors[q], filter == null ? 1 : 3, 50),
                sorted(one.best(searcher, VectorAccess.PUBLIC, vectors[q], filter, 50, n)));
          }
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  /**
   * The best {@code k} documents among every {@code step}-th by Lucene's scorer, ties to the lower
   * document, sorted.
   */
  private static int[] lucenesBest(DirectoryReader reader, float[] vector, int step, int k)
      throws java.io.IOException {
    org.apache.lucene.index.LeafReader leaf = reader.leaves().get(0).reader();
    org.apache.lucene.search.VectorScorer scorer =
        leaf.getFloatVectorValues(IndexSchema.VECTOR).scorer(vector);
    org.apache.lucene.search.DocIdSetIterator it = scorer.iterator();
    List<float[]> scored = new java.util.ArrayList<>();
    for (int doc = it.nextDoc();
        doc != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;
        doc = it.nextDoc()) {
      if (doc % step == 0) {
        scored.add(new float[] {doc, scorer.score()});
      }
    }
    scored.sort(
        java.util.Comparator.comparingDouble((float[] s) -> -s[1]).thenComparingDouble(s -> s[0]));
    return sorted(scored.stream().limit(k).mapToInt(s -> (int) s[0]).toArray());
  }

  private static int[] sorted(int[] docs) {
    int[] copy = docs.clone();
    Arrays.sort(copy);
    return copy;
  }

  @Test
  void concatenatedTopScoresKeepTheBestAndBreakTiesByLowerDocument() {
    QuantizedScan.TopScores a = new QuantizedScan.TopScores(3);
    a.offer(1, 0.5f);
    a.offer(2, 0.7f);
    a.offer(3, 0.1f);
    QuantizedScan.TopScores b = new QuantizedScan.TopScores(3);
    b.offer(4, 0.9f);
    b.offer(6, 0.7f);
    b.offer(8, 0.95f);
    // 0.95 (8), 0.9 (4), then 0.7 tied between 2 and 6: the lower document wins
    assertArrayEquals(new int[] {2, 4, 8}, QuantizedScan.TopScores.concat(List.of(a, b), 3).docs());
    QuantizedScan.TopScores few = new QuantizedScan.TopScores(5);
    few.offer(7, 0.2f);
    assertArrayEquals(new int[] {7}, few.docs());
  }

  @Test
  void topScoresKeepTheBestOfManyMoreOffersThanTheyHoldTiesIncluded() {
    java.util.Random random = new java.util.Random(5);
    for (int round = 0; round < 100; round++) {
      int size = 1 + random.nextInt(400);
      // up to 20x the buffer of max(1024, 4 * size): it is compacted many times
      int offers = random.nextInt(20 * Math.max(1024, 4 * size));
      int levels = 1 + random.nextInt(round % 2 == 0 ? 50 : 100_000); // few levels: many ties
      QuantizedScan.TopScores top = new QuantizedScan.TopScores(size);
      float[] scores = new float[offers];
      for (int doc = 0; doc < offers; doc++) {
        scores[doc] = random.nextInt(levels) / 7f;
        top.offer(doc, scores[doc]);
      }
      int[] expected =
          java.util.stream.IntStream.range(0, offers)
              .boxed()
              .sorted(
                  java.util.Comparator.comparingDouble((Integer d) -> -scores[d])
                      .thenComparingInt(d -> d))
              .limit(size)
              .mapToInt(Integer::intValue)
              .sorted()
              .toArray();
      assertArrayEquals(
          expected, top.docs(), "size " + size + ", " + offers + " offers, " + levels + " levels");
    }
  }

  @Test
  void kthLargestAgreesWithSortingAndLeavesTheValuesAsTheyAre() {
    java.util.Random random = new java.util.Random(3);
    for (int round = 0; round < 600; round++) {
      float[] values = new float[1 + random.nextInt(round < 300 ? 300 : 5000)];
      for (int i = 0; i < values.length; i++) {
        values[i] =
            switch (round % 4) {
              case 0 -> random.nextInt(20) / 4f - 2; // many ties, both signs, zeros
              case 1 -> (float) random.nextGaussian() * 1e-3f; // close values sharing high bits
              case 2 -> Float.intBitsToFloat(random.nextInt()) % 1e30f; // any bit pattern but NaN
              default -> random.nextBoolean() ? -0f : 0f; // -0 counts as 0
            };
        if (Float.isNaN(values[i])) {
          values[i] = 1f;
        }
      }
      float[] given = values.clone();
      float[] sorted = values.clone();
      Arrays.sort(sorted);
      int count = 1 + random.nextInt(values.length);
      float[] counted = Arrays.copyOf(values, count);
      Arrays.sort(counted);
      int k = 1 + random.nextInt(count);
      float kth = QuantizedScan.TopScores.kthLargest(values, count, k);
      assertEquals(counted[count - k], kth, 0f, "round " + round + ", k=" + k + " of " + count);
      assertArrayEquals(given, values, "round " + round + ": the values are not reordered");
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> QuantizedScan.TopScores.kthLargest(new float[3], 3, 4));
  }
}
