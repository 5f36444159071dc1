package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.indexer.SyntheticVectors;
import com.fashionsearch.indexer.codec.FashionCodec;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.lucene.codecs.lucene102.BinarizedCodes;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.search.VectorScorer;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinaryCodeScorerTest {
  private static final int N = 3000;
  private static final int DIMENSION = 768;

  @TempDir Path dir;

  private final float[][] vectors = SyntheticVectors.clustered(N + 5, DIMENSION, 20, 11);

  private DirectoryReader index(VectorIndexOptions.Quantization quantization) throws Exception {
    FSDirectory d = FSDirectory.open(dir.resolve(quantization.name()));
    try (IndexWriter w = new IndexWriter(d, new IndexWriterConfig()
        .setCodec(new FashionCodec(new VectorIndexOptions(16, 100, quantization)))
        .setRAMBufferSizeMB(256))) {
      for (int i = 0; i < N; i++) {
        Document doc = new Document();
        doc.add(new KnnFloatVectorField(IndexSchema.VECTOR, vectors[i], IndexSchema.SIMILARITY));
        w.addDocument(doc);
      }
      w.forceMerge(1);
    }
    return DirectoryReader.open(d);
  }

  @Test
  void scoresEveryCodeAsLucenesOwnScorerDoes() throws Exception {
    try (DirectoryReader reader = index(VectorIndexOptions.Quantization.BBQ)) {
      LeafReader leaf = reader.leaves().get(0).reader();
      FloatVectorValues values = leaf.getFloatVectorValues(IndexSchema.VECTOR);
      BinarizedCodes codes = BinarizedCodes.of(values);
      assertNotNull(codes, "Lucene's BBQ codes are reachable (a Lucene upgrade may have moved them)");
      assertTrue(BinaryCodeScorer.supports(codes));
      for (int q = N; q < N + 5; q++) {
        BinaryCodeScorer ours = new BinaryCodeScorer(codes, vectors[q]);
        VectorScorer lucene = values.scorer(vectors[q]);
        KnnVectorValues.DocIndexIterator it = (KnnVectorValues.DocIndexIterator) lucene.iterator();
        int compared = 0;
        for (int doc = it.nextDoc(); doc != KnnVectorValues.DocIndexIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
          assertEquals(lucene.score(), ours.score(it.index()), 1e-6f, "query " + q + ", document " + doc);
          compared++;
        }
        assertEquals(N, compared);
      }
    }
  }

  @Test
  void theEstimatesBestHoldTheBestScores() throws Exception {
    try (DirectoryReader reader = index(VectorIndexOptions.Quantization.BBQ)) {
      BinarizedCodes codes = BinarizedCodes.of(reader.leaves().get(0).reader().getFloatVectorValues(IndexSchema.VECTOR));
      int[] ords = IntStream.range(0, N).toArray();
      for (int q = N; q < N + 5; q++) {
        BinaryCodeScorer scorer = new BinaryCodeScorer(codes, vectors[q]);
        float[] estimates = new float[N];
        scorer.estimate(ords, N, estimates);
        float[] scores = new float[N];
        for (int i = 0; i < N; i++) {
          scores[i] = scorer.score(i);
        }
        Set<Integer> bestScores = best(scores, 50);
        Set<Integer> bestEstimates = best(estimates, QuantizedScan.FIRST_PASS_FACTOR * 50);
        long kept = bestScores.stream().filter(bestEstimates::contains).count();
        // a broken estimate (a wrong plane, a missing correction) keeps about 4 * 50 / 3000 of them
        assertTrue(kept >= 49, "query " + q + ": the best " + bestEstimates.size() + " estimates hold " + kept + " of the best 50 scores");
        // the odd count: the last vector is estimated alone
        float[] odd = new float[3];
        scorer.estimate(new int[] {7, 8, 9}, 3, odd);
        assertEquals(estimates[9], odd[2], 0f);
        assertEquals(estimates[8], odd[1], 0f);
      }
    }
  }

  @Test
  void floatAndScalarQuantizedFieldsHaveNoBinaryCodes() throws Exception {
    for (VectorIndexOptions.Quantization quantization :
        new VectorIndexOptions.Quantization[] {VectorIndexOptions.Quantization.NONE, VectorIndexOptions.Quantization.INT8}) {
      try (DirectoryReader reader = index(quantization)) {
        assertNull(BinarizedCodes.of(reader.leaves().get(0).reader().getFloatVectorValues(IndexSchema.VECTOR)), quantization.name());
      }
    }
  }

  private static Set<Integer> best(float[] values, int k) {
    return IntStream.range(0, values.length).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -values[i]).thenComparingInt(i -> i))
        .limit(k)
        .collect(Collectors.toSet());
  }
}
