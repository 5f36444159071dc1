package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.indexer.SyntheticVectors;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.search.VectorScorer;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinaryCodeScorerTest {
  private static final int N = 3000;

  /** Not a multiple of 256 bits: the vector loops end with a word-at-a-time tail. */
  private static final int DIMENSION = 832;

  @TempDir Path dir;

  private final float[][] vectors = SyntheticVectors.clustered(N + 5, DIMENSION, 20, 11);

  private DirectoryReader index(Directory d, VectorIndexOptions.Quantization quantization)
      throws Exception {
    return TestIndexes.vectorIndex(d, quantization, vectors, N);
  }

  /**
   * Lucene's internals, which reach the codes: what {@link VectorAccess#select} picks on this
   * Lucene.
   */
  private static VectorAccess internals(DirectoryReader reader) {
    VectorAccess.Selection selection = VectorAccess.select(reader, true);
    assertEquals(VectorAccess.Kind.LUCENE_INTERNALS, selection.access().kind(), selection.reason());
    return selection.access();
  }

  private DirectoryReader index(VectorIndexOptions.Quantization quantization) throws Exception {
    return index(new MMapDirectory(dir.resolve(quantization.name())), quantization);
  }

  @Test
  void countingAWordAtATimeScoresEveryCodeAsLucenesOwnScorerDoes() throws Exception {
    assertScoresAsLucene(false);
  }

  @Test
  void countingWithTheVectorApiScoresEveryCodeAsLucenesOwnScorerDoes() throws Exception {
    // pom.xml's argLine adds the module; a CPU without 256-bit vectors counts a word at a time
    assumeTrue(
        BinaryCodeScorer.VECTORIZED, "this JVM has no vector API with 256-bit or wider vectors");
    assertScoresAsLucene(true);
  }

  private void assertScoresAsLucene(boolean vectorized) throws Exception {
    try (DirectoryReader reader = index(VectorIndexOptions.Quantization.BBQ)) {
      LeafReader leaf = reader.leaves().get(0).reader();
      FloatVectorValues values = leaf.getFloatVectorValues(IndexSchema.VECTOR);
      VectorAccess.QuantizedCodes codes = internals(reader).codes(values);
      assertNotNull(
          codes, "Lucene's BBQ codes are reachable (a Lucene upgrade may have moved them)");
      assertTrue(BinaryCodeScorer.supports(codes));
      assertEquals(N, codes.size());
      for (int q = N; q < N + 5; q++) {
        BinaryCodeScorer.Cursor ours = new BinaryCodeScorer(codes, vectors[q], vectorized).cursor();
        BinaryCodeScorer.Cursor reference = new BinaryCodeScorer(codes, vectors[q], false).cursor();
        VectorScorer lucene = values.scorer(vectors[q]);
        KnnVectorValues.DocIndexIterator it = (KnnVectorValues.DocIndexIterator) lucene.iterator();
        int compared = 0;
        for (int doc = it.nextDoc();
            doc != KnnVectorValues.DocIndexIterator.NO_MORE_DOCS;
            doc = it.nextDoc()) {
          assertEquals(
              lucene.score(), ours.score(it.index()), 1e-6f, "query " + q + ", document " + doc);
          assertEquals(
              reference.estimate(it.index()), ours.estimate(it.index()), 0f, "estimate of " + doc);
          compared++;
        }
        assertEquals(N, compared);
        assertBatchedEstimatesEqualSingleOnes(ours);
      }
    }
  }

  /**
   * Estimates of a batch, read in runs of consecutive codes, equal those read one at a time: runs
   * longer than a read, single codes between gaps, and a run that ends the batch.
   */
  private static void assertBatchedEstimatesEqualSingleOnes(BinaryCodeScorer.Cursor cursor)
      throws Exception {
    int[] ords =
        IntStream.concat(
                IntStream.concat(
                    IntStream.range(0, 2 * BinaryCodeScorer.RUN + 5), IntStream.of(100, 102, 104)),
                IntStream.range(N - 40, N))
            .toArray();
    float[] batched = new float[ords.length + 1];
    batched[ords.length] = 42f;
    cursor.estimates(ords, ords.length, batched);
    for (int i = 0; i < ords.length; i++) {
      assertEquals(
          cursor.estimate(ords[i]), batched[i], 0f, "batched estimate of ordinal " + ords[i]);
    }
    assertEquals(42f, batched[ords.length], "nothing is written past the batch");
  }

  @Test
  void theEstimatesBestHoldTheBestScores() throws Exception {
    try (DirectoryReader reader = index(VectorIndexOptions.Quantization.BBQ)) {
      VectorAccess.QuantizedCodes codes =
          internals(reader)
              .codes(reader.leaves().get(0).reader().getFloatVectorValues(IndexSchema.VECTOR));
      for (int q = N; q < N + 5; q++) {
        BinaryCodeScorer.Cursor scorer = new BinaryCodeScorer(codes, vectors[q]).cursor();
        float[] estimates = new float[N];
        float[] scores = new float[N];
        for (int i = 0; i < N; i++) {
          estimates[i] = scorer.estimate(i);
          scores[i] = scorer.score(i);
        }
        Set<Integer> bestScores = best(scores, 50);
        Set<Integer> bestEstimates = best(estimates, QuantizedScan.FIRST_PASS_FACTOR * 50);
        long kept = bestScores.stream().filter(bestEstimates::contains).count();
        // a broken estimate (a wrong plane, a missing correction) keeps about 4 * 50 / 3000 of them
        assertTrue(
            kept >= 49,
            "query "
                + q
                + ": the best "
                + bestEstimates.size()
                + " estimates hold "
                + kept
                + " of the best 50 scores");
      }
    }
  }

  @Test
  void floatAndScalarQuantizedFieldsHaveNoBinaryCodes() throws Exception {
    for (VectorIndexOptions.Quantization quantization :
        new VectorIndexOptions.Quantization[] {
          VectorIndexOptions.Quantization.NONE, VectorIndexOptions.Quantization.INT8
        }) {
      try (DirectoryReader reader = index(quantization)) {
        assertNull(
            internals(reader)
                .codes(reader.leaves().get(0).reader().getFloatVectorValues(IndexSchema.VECTOR)),
            quantization.name());
      }
    }
  }

  @Test
  void aQueryOfAnotherDimensionIsRefused() throws Exception {
    try (DirectoryReader reader = index(VectorIndexOptions.Quantization.BBQ)) {
      VectorAccess.QuantizedCodes codes =
          internals(reader)
              .codes(reader.leaves().get(0).reader().getFloatVectorValues(IndexSchema.VECTOR));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new BinaryCodeScorer(codes, new float[DIMENSION - 1]));
      assertTrue(e.getMessage().contains("831"), e.getMessage());
    }
  }

  private static Set<Integer> best(float[] values, int k) {
    return IntStream.range(0, values.length)
        .boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -values[i]).thenComparingInt(i -> i))
        .limit(k)
        .collect(Collectors.toSet());
  }
}
