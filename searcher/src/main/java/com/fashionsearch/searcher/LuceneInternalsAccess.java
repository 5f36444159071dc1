package com.fashionsearch.searcher;

import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.codecs.lucene102.BinarizedCodes;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.VectorScorer;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.quantization.OptimizedScalarQuantizer;

/**
 * {@link VectorAccess} through Lucene's package-private BBQ classes ({@link BinarizedCodes}, which
 * lives in Lucene's own package for that reason): raw vectors read in place, codes read directly.
 * The only class that touches {@link BinarizedCodes}; reached through {@link VectorAccess#select},
 * which uses it only after {@link #verify} has passed on the opened reader. Stateless, thread-safe.
 */
final class LuceneInternalsAccess implements VectorAccess {
  /** A score from the codes may differ from Lucene's by float rounding, not more. */
  private static final float SCORE_TOLERANCE = 1e-4f;

  @Override
  public Kind kind() {
    return Kind.LUCENE_INTERNALS;
  }

  @Override
  public FloatVectorValues rawVectors(FloatVectorValues values) {
    return BinarizedCodes.rawVectors(values);
  }

  @Override
  public QuantizedCodes codes(FloatVectorValues values) throws IOException {
    BinarizedCodes codes = BinarizedCodes.of(values);
    return codes == null ? null : new Codes(codes);
  }

  @Override
  public String toString() {
    return "Lucene's internals (BBQ codes and raw vectors read in place)";
  }

  /**
   * Checks, on every segment of {@code reader} with vectors in {@code field}, that what the
   * internals give agrees with Lucene's public API: the raw vectors of a BBQ field are found, as
   * many as the field has, and the first equals the public one; the codes have the field's size and
   * dimension, and the first vector's score against itself from the codes equals Lucene's scorer's.
   *
   * @throws IllegalStateException naming the first disagreement
   */
  void verify(IndexReader reader, String field) throws IOException {
    if (BinarizedCodes.QUERY_BITS != QuantizedCodes.QUERY_BITS) {
      throw new IllegalStateException(
          "Lucene scores BBQ codes with " + BinarizedCodes.QUERY_BITS + "-bit queries");
    }
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
      if (values == null || values.size() == 0) {
        continue;
      }
      BinarizedCodes binarized = BinarizedCodes.of(values);
      if (binarized == null) {
        continue; // float or scalar-quantized: the values are the raw vectors, nothing internal is
        // read
      }
      FloatVectorValues raw = rawVectors(values);
      if (raw == values) {
        throw new IllegalStateException("the raw vectors under the BBQ codes were not found");
      }
      KnnVectorValues.DocIndexIterator it = values.iterator();
      if (it.nextDoc() == DocIdSetIterator.NO_MORE_DOCS) {
        continue;
      }
      int ord = it.index();
      float[] first = values.vectorValue(ord).clone();
      if (raw.size() != values.size() || !Arrays.equals(first, raw.vectorValue(ord))) {
        throw new IllegalStateException(
            "the raw vectors under the BBQ codes differ from the field's");
      }
      QuantizedCodes codes = new Codes(binarized);
      if (codes.size() != values.size() || codes.dimension() != values.dimension()) {
        throw new IllegalStateException(
            "the BBQ codes hold "
                + codes.size()
                + " x "
                + codes.dimension()
                + ", the field "
                + values.size()
                + " x "
                + values.dimension());
      }
      if (!BinaryCodeScorer.supports(codes)) {
        continue;
      }
      VectorScorer lucene = values.scorer(first);
      lucene.iterator().nextDoc();
      float expected = lucene.score();
      float ours = new BinaryCodeScorer(codes, first).cursor().score(ord);
      if (Math.abs(expected - ours) > SCORE_TOLERANCE) {
        throw new IllegalStateException(
            "a score from the BBQ codes is " + ours + ", Lucene's " + expected);
      }
    }
  }

  /** The codes of one segment, as {@link BinarizedCodes} reads them. */
  private record Codes(BinarizedCodes codes) implements QuantizedCodes {
    @Override
    public IndexInput data() {
      return codes.data();
    }

    @Override
    public int codeBytes() {
      return codes.codeBytes();
    }

    @Override
    public long stride() {
      return codes.stride();
    }

    @Override
    public int dimension() {
      return codes.dimension();
    }

    @Override
    public int size() {
      return codes.size();
    }

    @Override
    public VectorSimilarityFunction similarity() {
      return codes.similarity();
    }

    @Override
    public float centroidDotProduct() {
      return codes.centroidDotProduct();
    }

    @Override
    public OptimizedScalarQuantizer.QuantizationResult quantizeQuery(
        float[] query, byte[] transposed) {
      return codes.quantizeQuery(query, transposed);
    }
  }
}
