package org.apache.lucene.codecs.lucene102;

import java.io.IOException;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.ArrayUtil;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.quantization.OptimizedScalarQuantizer;

/**
 * A read-only view of the binary codes that Lucene's BBQ format ({@link
 * Lucene102BinaryQuantizedVectorsFormat}) keeps for one segment's vectors, for the fashion
 * searcher's quantized scan ({@code com.fashionsearch.searcher.BinaryCodeScorer}).
 *
 * <p>This class sits in Lucene's package because the codes, the segment's centroid and the query
 * quantizer are package-private there: Lucene scores them only through a per-document {@code
 * VectorScorer}, which quantizes the query again for every scorer (so once per range of a scan) and
 * cannot score a cheaper first pass. It is the fast path of the searcher's {@code VectorAccess},
 * and reached only through it ({@code LuceneInternalsAccess}), which uses it on the Lucene versions
 * it was checked on (10.3.2, the root pom's) once it agrees with Lucene's public API on the opened
 * index, and otherwise falls back to that API.
 *
 * <p>Layout of vector {@code ord}, at {@code ord * stride()} in {@link #data()}: {@link
 * #codeBytes()} bytes of code (one bit per dimension of the vector minus the centroid, dimensions
 * padded to a multiple of 64, packed by {@link OptimizedScalarQuantizer#packAsBinary}), then the
 * little-endian floats lowerInterval, upperInterval, additionalCorrection and the unsigned short
 * quantizedComponentSum.
 *
 * <p>Thread-safe: each {@link #data()} call gives its own input, which is not.
 */
public final class BinarizedCodes {
  /** Bits per dimension of the query Lucene scores against the codes. */
  public static final int QUERY_BITS = Lucene102BinaryQuantizedVectorsFormat.QUERY_BITS;

  private final OffHeapBinarizedVectorValues codes;

  private BinarizedCodes(OffHeapBinarizedVectorValues codes) {
    this.codes = codes;
  }

  /**
   * The codes behind {@code values}, or null when they are not vectors of a non-empty BBQ field
   * (float fields, other quantizations, another Lucene format).
   */
  public static BinarizedCodes of(FloatVectorValues values) throws IOException {
    if (values instanceof Lucene102BinaryQuantizedVectorsReader.BinarizedVectorValues binarized
        && binarized.getQuantizedVectorValues() instanceof OffHeapBinarizedVectorValues codes
        && codes.size() > 0
        && codes.slice != null) {
      return new BinarizedCodes(codes);
    }
    return null;
  }

  /**
   * The raw float vectors under {@code values}: those a BBQ field keeps beside its codes, or {@code
   * values} itself for any other field. Lucene keeps them in a private field of its BBQ values,
   * read here by reflection (Lucene is on the class path, not a named module); should that fail,
   * {@code values}, whose vectors are the same but copied on every read, which the searcher's check
   * ({@code LuceneInternalsAccess.verify}) takes as a reason to fall back.
   */
  public static FloatVectorValues rawVectors(FloatVectorValues values) {
    if (values instanceof Lucene102BinaryQuantizedVectorsReader.BinarizedVectorValues
        && RAW_VECTORS != null) {
      try {
        return (FloatVectorValues) RAW_VECTORS.get(values);
      } catch (IllegalAccessException e) {
        return values;
      }
    }
    return values;
  }

  private static final java.lang.reflect.Field RAW_VECTORS = rawVectorsField();

  private static java.lang.reflect.Field rawVectorsField() {
    try {
      java.lang.reflect.Field f =
          Lucene102BinaryQuantizedVectorsReader.BinarizedVectorValues.class.getDeclaredField(
              "rawVectorValues");
      f.setAccessible(true);
      return f.getType() == FloatVectorValues.class ? f : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** The codes and their corrections, by position: an input of its own, for one thread. */
  public IndexInput data() {
    return codes.slice.clone();
  }

  /** Bytes of one code: the dimension rounded up to 64 bits, over 8. */
  public int codeBytes() {
    return codes.numBytes;
  }

  /** Bytes from one vector's code to the next one's. */
  public long stride() {
    return codes.byteSize;
  }

  /** The dimension of the vectors. */
  public int dimension() {
    return codes.dimension();
  }

  /** How many vectors the segment holds: their ordinals are 0 to {@code size() - 1}. */
  public int size() {
    return codes.size();
  }

  /** The similarity the field was indexed with. */
  public VectorSimilarityFunction similarity() {
    return codes.similarityFunction;
  }

  /** The dot product of the segment's centroid with itself, a term of every score. */
  public float centroidDotProduct() {
    return codes.getCentroidDP();
  }

  /**
   * Quantizes {@code query} to {@value #QUERY_BITS} bits per dimension around the segment's
   * centroid, as Lucene's scorer does, into {@code transposed} ({@code QUERY_BITS * codeBytes()}
   * bytes: bit plane {@code j} of every dimension at {@code j * codeBytes()}). The query is not
   * modified; a cosine field's query is normalised first, as Lucene does.
   */
  public OptimizedScalarQuantizer.QuantizationResult quantizeQuery(
      float[] query, byte[] transposed) {
    float[] copy = ArrayUtil.copyOfSubArray(query, 0, query.length);
    if (codes.similarityFunction == VectorSimilarityFunction.COSINE) {
      VectorUtil.l2normalize(copy);
    }
    byte[] quantized = new byte[copy.length];
    OptimizedScalarQuantizer.QuantizationResult corrections =
        codes
            .getQuantizer()
            .scalarQuantize(copy, quantized, (byte) QUERY_BITS, codes.getCentroid());
    OptimizedScalarQuantizer.transposeHalfByte(quantized, transposed);
    return corrections;
  }
}
