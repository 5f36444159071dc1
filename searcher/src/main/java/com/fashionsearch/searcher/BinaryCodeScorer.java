package com.fashionsearch.searcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.lucene.codecs.lucene102.BinarizedCodes;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.RandomAccessInput;
import org.apache.lucene.util.quantization.OptimizedScalarQuantizer;

/**
 * Scores one query against a segment's BBQ codes ({@link BinarizedCodes}) in two passes:
 *
 * <ul>
 *   <li>{@link #estimate}: the query's two highest bit planes only, half the work of a full score,
 *       with the lower planes' expected contribution; a filter of 40% of 44,000 vectors ranks the
 *       same best 300 as the full score from its best 1,200 estimates (BENCHMARKS.md);
 *   <li>{@link #score}: Lucene's own score of a 4-bit query against a 1-bit code ({@code
 *       Lucene102BinaryFlatVectorsScorer.quantizedScore}), to within float rounding, read straight
 *       from the mapped codes without copying them.
 * </ul>
 *
 * <p>The query is quantized once per segment, where Lucene's scorer quantizes it at every {@code
 * scorer()} call. Dot-product fields only ({@link #supports}). Not thread-safe.
 */
final class BinaryCodeScorer {
  private static final float FOUR_BIT_SCALE = 1f / 15f;

  private final RandomAccessInput data;
  private final long stride;
  private final int codeBytes;
  private final int words;
  private final int dimension;
  /** The query's bit planes as little-endian longs: plane j at j * words. */
  private final long[] planes;
  private final float ay;
  private final float ly;
  private final float y1;
  private final float queryCorrection;
  private final float centroidDotProduct;

  /** Whether {@code codes} can be scored here: a dot-product field. */
  static boolean supports(BinarizedCodes codes) {
    return codes.similarity() == VectorSimilarityFunction.DOT_PRODUCT;
  }

  BinaryCodeScorer(BinarizedCodes codes, float[] query) {
    if (!supports(codes)) {
      throw new IllegalArgumentException("only dot-product fields are scored here, not " + codes.similarity());
    }
    if (query.length != codes.dimension()) {
      throw new IllegalArgumentException("query has " + query.length + " dimensions, the field " + codes.dimension());
    }
    this.data = codes.data();
    this.stride = codes.stride();
    this.codeBytes = codes.codeBytes();
    this.words = codeBytes / Long.BYTES;
    this.dimension = codes.dimension();
    byte[] transposed = new byte[BinarizedCodes.QUERY_BITS * codeBytes];
    OptimizedScalarQuantizer.QuantizationResult q = codes.quantizeQuery(query, transposed);
    this.planes = new long[BinarizedCodes.QUERY_BITS * words];
    ByteBuffer.wrap(transposed).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(planes);
    this.ay = q.lowerInterval();
    this.ly = (q.upperInterval() - ay) * FOUR_BIT_SCALE;
    this.y1 = q.quantizedComponentSum();
    this.queryCorrection = q.additionalCorrection();
    this.centroidDotProduct = codes.centroidDotProduct();
  }

  /**
   * Estimates the scores of {@code count} vectors, by ordinal, into {@code out}: comparable with
   * each other, not with {@link #score}. Two vectors at a time, so that the memory reads of one
   * overlap the other's arithmetic.
   */
  void estimate(int[] ords, int count, float[] out) throws IOException {
    int high = 3 * words;
    int low = 2 * words;
    int i = 0;
    for (; i + 1 < count; i += 2) {
      long a = ords[i] * stride;
      long b = ords[i + 1] * stride;
      long ah = 0, al = 0, bh = 0, bl = 0;
      for (int w = 0; w < words; w++) {
        long qh = planes[high + w];
        long ql = planes[low + w];
        long da = data.readLong(a + (long) w * Long.BYTES);
        long db = data.readLong(b + (long) w * Long.BYTES);
        ah += Long.bitCount(qh & da);
        al += Long.bitCount(ql & da);
        bh += Long.bitCount(qh & db);
        bl += Long.bitCount(ql & db);
      }
      out[i] = estimated(a, ah, al);
      out[i + 1] = estimated(b, bh, bl);
    }
    for (; i < count; i++) {
      long a = ords[i] * stride;
      long ah = 0, al = 0;
      for (int w = 0; w < words; w++) {
        long da = data.readLong(a + (long) w * Long.BYTES);
        ah += Long.bitCount(planes[high + w] & da);
        al += Long.bitCount(planes[low + w] & da);
      }
      out[i] = estimated(a, ah, al);
    }
  }

  /** The two high planes' dot product, plus the two low planes' expected share: 1.5 per set bit. */
  private float estimated(long at, long high, long low) throws IOException {
    long corrections = at + codeBytes;
    int setBits = Short.toUnsignedInt(data.readShort(corrections + 3 * Float.BYTES));
    return corrected(corrections, 8f * high + 4f * low + 1.5f * setBits, setBits);
  }

  /** Lucene's score of the vector with ordinal {@code ord}: {@code (1 + dot) / 2}, at least 0. */
  float score(int ord) throws IOException {
    long at = ord * stride;
    long p0 = 0, p1 = 0, p2 = 0, p3 = 0;
    for (int w = 0; w < words; w++) {
      long d = data.readLong(at + (long) w * Long.BYTES);
      p0 += Long.bitCount(planes[w] & d);
      p1 += Long.bitCount(planes[words + w] & d);
      p2 += Long.bitCount(planes[2 * words + w] & d);
      p3 += Long.bitCount(planes[3 * words + w] & d);
    }
    long corrections = at + codeBytes;
    int setBits = Short.toUnsignedInt(data.readShort(corrections + 3 * Float.BYTES));
    float dot = corrected(corrections, p0 + 2 * p1 + 4 * p2 + 8 * p3, setBits);
    return Math.max((1f + dot) / 2f, 0f);
  }

  /** Lucene's correction of a quantized dot product {@code qcDist} into an estimate of the float one. */
  private float corrected(long corrections, float qcDist, int x1) throws IOException {
    float ax = Float.intBitsToFloat(data.readInt(corrections));
    float lx = Float.intBitsToFloat(data.readInt(corrections + Float.BYTES)) - ax;
    float additional = Float.intBitsToFloat(data.readInt(corrections + 2 * Float.BYTES));
    // Lucene's terms in Lucene's order, so that the sums round alike
    float dot = ax * ay * dimension + ay * lx * x1 + ax * ly * y1 + lx * ly * qcDist;
    return dot + (queryCorrection + additional - centroidDotProduct);
  }
}
