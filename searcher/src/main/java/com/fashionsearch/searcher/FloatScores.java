package com.fashionsearch.searcher;

import com.fashionsearch.indexer.IndexSchema;
import java.io.IOException;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorer;

/**
 * Exact scores ({@link IndexSchema#SIMILARITY}) of a query against one segment's raw float vectors:
 * what a quantized index's candidates are rescored with, and what an exact search ranks by.
 *
 * <p>Scores come from Lucene's flat-vector scorer, several at a time ({@link
 * RandomVectorScorer#bulkScore}). On a memory-mapped index, with the vector API, Lucene reads the
 * vectors in place, four side by side: a lone 16 KB vector is one stream that the hardware
 * prefetcher restarts at every 4 KB page, four keep four reads in flight. In a scratch harness, 300
 * of the benchmark's 4096-d vectors read that way took 0.19-0.21 ms, against 0.45 ms copying each
 * into an array for {@code VectorUtil} (docs/benchmarks-history.md, "Rescoring in place, preloaded
 * generations"). A BBQ field's raw vectors are reached through {@link VectorAccess#rawVectors}: in
 * place with Lucene's internals, copied (with the same scores) with its public API.
 *
 * <p>Every score, in a batch or alone, goes through {@code bulkScore}, so an exact search and a
 * rescored one agree on every score to within float rounding: not always to the last bit, since the
 * vector API may add a vector's lanes in another order before the JIT has compiled its kernel than
 * after. Not thread-safe: one per segment and query.
 */
final class FloatScores {
  private static final FlatVectorsScorer FLAT = FlatVectorScorerUtil.getLucene99FlatVectorsScorer();

  private final RandomVectorScorer scorer;
  private int[] ords = new int[0];
  private float[] scores = new float[0];

  private FloatScores(RandomVectorScorer scorer) {
    this.scorer = scorer;
  }

  /**
   * Scores of {@code query} for {@code values}, a segment's vectors (float or BBQ), whose raw
   * floats {@code access} reaches.
   */
  static FloatScores of(VectorAccess access, FloatVectorValues values, float[] query)
      throws IOException {
    if (query.length != values.dimension()) {
      throw new IllegalArgumentException(
          "query has " + query.length + " dimensions, the field " + values.dimension());
    }
    return new FloatScores(
        FLAT.getRandomVectorScorer(IndexSchema.SIMILARITY, access.rawVectors(values), query));
  }

  /** The name of Lucene's scorer behind these scores, for tests. */
  String scorerName() {
    return scorer.getClass().getName();
  }

  /** Scores the vectors with ordinals {@code ords[from..to)} into {@code scores[from..to)}. */
  void score(int[] ords, int from, int to, float[] scores) throws IOException {
    int count = to - from;
    if (from == 0) {
      scorer.bulkScore(ords, scores, count);
      return;
    }
    if (this.ords.length < count) {
      this.ords = new int[count];
      this.scores = new float[count];
    }
    System.arraycopy(ords, from, this.ords, 0, count);
    scorer.bulkScore(this.ords, this.scores, count);
    System.arraycopy(this.scores, 0, scores, from, count);
  }
}
