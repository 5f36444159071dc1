package com.fashionsearch.searcher;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.quantization.OptimizedScalarQuantizer;

/**
 * Scores one query against a segment's BBQ codes ({@link VectorAccess.QuantizedCodes}) in two
 * passes:
 *
 * <ul>
 *   <li>{@link Cursor#estimate}: the query's two highest bit planes only, half the work of a full
 *       score, with the lower planes' expected contribution (1.5 per set bit of the code);
 *   <li>{@link Cursor#score}: Lucene's own score of a 4-bit query against a 1-bit code ({@code
 *       Lucene102BinaryFlatVectorsScorer.quantizedScore}), to within float rounding.
 * </ul>
 *
 * <p>The query is quantized once per segment, where Lucene quantizes it for every scorer.
 * Dot-product and cosine fields only ({@link #supports}). Where the JVM has the incubating vector
 * API ({@code --add-modules jdk.incubator.vector}, which {@code fashion} and the tests pass) and
 * 256-bit or wider vectors, a code's words are ANDed and counted several at a time ({@link
 * VectorizedBits}); otherwise one at a time.
 *
 * <p>Thread-safe; each thread reads the codes through a {@link #cursor()} of its own.
 */
final class BinaryCodeScorer {
  private static final float FOUR_BIT_SCALE = 1f / 15f;

  /** Consecutive codes {@link Cursor#estimates} reads at once: about 17 KB of 4096-d codes. */
  static final int RUN = 32;

  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle FLOAT =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  /** Whether codes are counted with the vector API (see the class comment). */
  static final boolean VECTORIZED = vectorApi();

  private final VectorAccess.QuantizedCodes codes;
  private final long stride;
  private final int words;
  private final int codeBytes;
  private final int dimension;
  private final boolean vectorized;

  /** The query's bit planes as little-endian words: plane j at j * words. */
  private final long[] planes;

  private final float ay;
  private final float ly;
  private final float y1;
  private final float queryCorrection;
  private final float centroidDotProduct;

  private static boolean vectorApi() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    try {
      return VectorizedBits.wide();
    } catch (LinkageError e) {
      return false;
    }
  }

  /** Whether {@code codes} can be scored here: a dot-product or cosine field. */
  static boolean supports(VectorAccess.QuantizedCodes codes) {
    return codes.similarity() == VectorSimilarityFunction.DOT_PRODUCT
        || codes.similarity() == VectorSimilarityFunction.COSINE;
  }

  BinaryCodeScorer(VectorAccess.QuantizedCodes codes, float[] query) {
    this(codes, query, VECTORIZED);
  }

  /**
   * @param vectorized count with the vector API ({@link #VECTORIZED} must hold) or a word at a time
   */
  BinaryCodeScorer(VectorAccess.QuantizedCodes codes, float[] query, boolean vectorized) {
    if (!supports(codes)) {
      throw new IllegalArgumentException(
          "only dot-product and cosine fields are scored here, not " + codes.similarity());
    }
    if (query.length != codes.dimension()) {
      throw new IllegalArgumentException(
          "query has " + query.length + " dimensions, the field " + codes.dimension());
    }
    if (vectorized && !VECTORIZED) {
      throw new IllegalArgumentException("the vector API is not available to this JVM");
    }
    this.codes = codes;
    this.stride = codes.stride();
    this.words = codes.codeBytes() / Long.BYTES;
    this.codeBytes = codes.codeBytes();
    this.dimension = codes.dimension();
    this.vectorized = vectorized;
    byte[] transposed = new byte[VectorAccess.QuantizedCodes.QUERY_BITS * codes.codeBytes()];
    OptimizedScalarQuantizer.QuantizationResult q = codes.quantizeQuery(query, transposed);
    this.planes = new long[VectorAccess.QuantizedCodes.QUERY_BITS * words];
    ByteBuffer.wrap(transposed).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(planes);
    this.ay = q.lowerInterval();
    this.ly = (q.upperInterval() - ay) * FOUR_BIT_SCALE;
    this.y1 = q.quantizedComponentSum();
    this.queryCorrection = q.additionalCorrection();
    this.centroidDotProduct = codes.centroidDotProduct();
  }

  /** A reader of the codes for one thread. */
  Cursor cursor() {
    return new Cursor(codes.data());
  }

  /**
   * Reads codes as stored (code, then corrections) into its own buffer and scores them: one at a
   * time, or runs of consecutive ones in one read ({@link #estimates}). Not thread-safe.
   */
  final class Cursor {
    private final IndexInput in;

    /** Up to {@link #RUN} consecutive codes with their corrections, as stored. */
    private final byte[] run = new byte[(int) (RUN * stride)];

    private Cursor(IndexInput in) {
      this.in = in;
    }

    /**
     * As {@link #estimate} for each of the vectors with ordinals {@code ords[0..count)}, in
     * increasing order, into {@code estimates}. Consecutive ordinals, as a filter over documents
     * sorted by its attribute gives, are read {@link #RUN} codes at a time: one read instead of one
     * per code. The estimates equal {@link #estimate}'s.
     */
    void estimates(int[] ords, int count, float[] estimates) throws IOException {
      for (int i = 0; i < count; ) {
        int first = ords[i];
        int n = 1;
        while (i + n < count && n < RUN && ords[i + n] == first + n) {
          n++;
        }
        read(first, n);
        for (int k = 0; k < n; k++) {
          estimates[i + k] = estimateAt((int) (k * stride));
        }
        i += n;
      }
    }

    /**
     * An estimate of the score of the vector with ordinal {@code ord}, from the query's two high
     * bit planes: comparable with other estimates, not with {@link #score}.
     */
    float estimate(int ord) throws IOException {
      read(ord, 1);
      return estimateAt(0);
    }

    /** Lucene's score of the vector with ordinal {@code ord}: {@code (1 + dot) / 2}, at least 0. */
    float score(int ord) throws IOException {
      read(ord, 1);
      return Math.max((1f + correctedAt(0, planesAt(0, 0) + planesAt(0, 2))) / 2f, 0f);
    }

    private void read(int first, int n) throws IOException {
      in.seek(first * stride);
      in.readBytes(run, 0, (int) (n * stride));
    }

    private float estimateAt(int at) {
      return correctedAt(at, planesAt(at, 2) + 1.5f * setBitsAt(at));
    }

    /**
     * The part of the dot product of the code at byte {@code at} from query planes {@code low} and
     * {@code low + 1}.
     */
    private long planesAt(int at, int low) {
      return vectorized
          ? VectorizedBits.twoPlanes(run, at, planes, words, low)
          : twoPlanes(run, at, planes, words, low);
    }

    private int setBitsAt(int at) {
      return Short.toUnsignedInt((short) SHORT.get(run, at + codeBytes + 3 * Float.BYTES));
    }

    /**
     * Lucene's correction of a quantized dot product {@code qcDist} of the code at byte {@code at}
     * into an estimate of the float one, from the code's lower and upper interval, additional
     * correction and set bits.
     */
    private float correctedAt(int at, float qcDist) {
      float ax = (float) FLOAT.get(run, at + codeBytes);
      float lx = (float) FLOAT.get(run, at + codeBytes + Float.BYTES) - ax;
      float additional = (float) FLOAT.get(run, at + codeBytes + 2 * Float.BYTES);
      int setBits = setBitsAt(at);
      // Lucene's terms in Lucene's order, so that the sums round alike
      float dot = ax * ay * dimension + ay * lx * setBits + ax * ly * y1 + lx * ly * qcDist;
      return dot + (queryCorrection + additional - centroidDotProduct);
    }
  }

  /**
   * The bits of the code at byte {@code at} of {@code codes} shared with the query's bit plane
   * {@code low}, plus twice those shared with plane {@code low + 1}, times {@code 2^low}: planes 2
   * and 3 give the estimate's part of the dot product, and planes 0 and 1 the rest of it.
   */
  static long twoPlanes(byte[] codes, int at, long[] planes, int words, int low) {
    long lower = 0;
    long upper = 0;
    for (int w = 0; w < words; w++) {
      long c = (long) LONG.get(codes, at + w * Long.BYTES);
      lower += Long.bitCount(planes[low * words + w] & c);
      upper += Long.bitCount(planes[(low + 1) * words + w] & c);
    }
    return (lower + 2 * upper) << low;
  }
}
