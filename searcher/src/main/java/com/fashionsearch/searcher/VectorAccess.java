package com.fashionsearch.searcher;

import com.fashionsearch.indexer.IndexSchema;
import java.io.IOException;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.Version;
import org.apache.lucene.util.quantization.OptimizedScalarQuantizer;

/**
 * How the searcher reaches a segment's vectors beyond Lucene's query API: the raw float vectors
 * that rescoring and exact search score ({@link FloatScores}), and a BBQ field's binary codes that
 * the quantized scan scores itself ({@link BinaryCodeScorer}).
 *
 * <p>Two implementations, chosen once per opened generation by {@link #select}:
 *
 * <ul>
 *   <li>{@link Kind#LUCENE_INTERNALS}: reads the raw vectors in place and the codes directly,
 *       through Lucene's package-private BBQ classes ({@code
 *       org.apache.lucene.codecs.lucene102.BinarizedCodes}). Checked on the Lucene versions of
 *       {@link #CHECKED_LUCENE_VERSIONS} only, and verified on the opened reader before it is used;
 *   <li>{@link Kind#PUBLIC_API}: Lucene's public API only. Raw vectors are read through {@link
 *       FloatVectorValues}, which copies each one; there are no codes ({@link #codes} gives null),
 *       so a scan scores every match with Lucene's own per-document {@code VectorScorer}. Slower;
 *       the same scores, and the same pages except where the internals' two-pass scan (estimates
 *       first) keeps other candidates than one pass would: with 10 candidates under a 41% filter,
 *       one hit in 2,000 (docs/benchmarks-history.md, "Behaviour unchanged by VectorAccess").
 * </ul>
 *
 * <p>Setting the system property {@value #PROPERTY} to {@code public} forces the public API.
 * Implementations are stateless and thread-safe.
 */
interface VectorAccess {
  /**
   * The system property that forces the public API: {@code -Dfashionsearch.vectorAccess=public}.
   */
  String PROPERTY = "fashionsearch.vectorAccess";

  /**
   * Lucene versions on which the internals' fast path was checked (the root pom's lucene.version).
   */
  java.util.Set<String> CHECKED_LUCENE_VERSIONS = java.util.Set.of("10.3.2");

  /** Which way vectors are reached. */
  enum Kind {
    LUCENE_INTERNALS,
    PUBLIC_API
  }

  /** Which way this access reaches vectors. */
  Kind kind();

  /**
   * The float vectors to score exactly for {@code values}, a segment's vectors of any format: a BBQ
   * field's raw vectors read in place where possible, otherwise {@code values} itself (whose
   * vectors are the same raw floats, copied on every read).
   */
  FloatVectorValues rawVectors(FloatVectorValues values);

  /**
   * The binary codes behind {@code values}, or null: on a float or scalar-quantized field, on an
   * empty one, and always with the public API.
   */
  QuantizedCodes codes(FloatVectorValues values) throws IOException;

  /** Lucene's public API only: see the class comment. */
  VectorAccess PUBLIC =
      new VectorAccess() {
        @Override
        public Kind kind() {
          return Kind.PUBLIC_API;
        }

        @Override
        public FloatVectorValues rawVectors(FloatVectorValues values) {
          return values;
        }

        @Override
        public QuantizedCodes codes(FloatVectorValues values) {
          return null;
        }

        @Override
        public String toString() {
          return "Lucene's public API";
        }
      };

  /** The choice {@link #select} makes: the access, and a sentence saying why, for the log. */
  record Selection(VectorAccess access, String reason) {}

  /**
   * The fastest access that works on {@code reader}: Lucene's internals on a checked Lucene version
   * when they open and agree with the public API on its vectors ({@link
   * LuceneInternalsAccess#verify}), otherwise the public API. {@code allowInternals} false (or the
   * system property {@value #PROPERTY}{@code =public}) forces the public API.
   */
  static Selection select(IndexReader reader, boolean allowInternals) {
    String version = Version.LATEST.toString();
    if (!allowInternals || "public".equals(System.getProperty(PROPERTY))) {
      return new Selection(PUBLIC, "the public API was asked for");
    }
    if (!CHECKED_LUCENE_VERSIONS.contains(version)) {
      return new Selection(
          PUBLIC,
          "Lucene "
              + version
              + " is not one the internals were checked on "
              + CHECKED_LUCENE_VERSIONS);
    }
    try {
      LuceneInternalsAccess internals = new LuceneInternalsAccess();
      internals.verify(reader, IndexSchema.VECTOR);
      return new Selection(internals, "checked on this index with Lucene " + version);
    } catch (IOException | RuntimeException | LinkageError e) {
      return new Selection(PUBLIC, "Lucene " + version + "'s internals failed their check: " + e);
    }
  }

  /**
   * A read-only view of one segment's BBQ codes. Layout of vector {@code ord}, at {@code ord *
   * stride()} in {@link #data()}: {@link #codeBytes()} bytes of code (one bit per dimension of the
   * vector minus the centroid, dimensions padded to a multiple of 64), then the little-endian
   * floats lowerInterval, upperInterval, additionalCorrection and the unsigned short
   * quantizedComponentSum. Thread-safe: each {@link #data()} call gives its own input, which is
   * not.
   */
  interface QuantizedCodes {
    /** Bits per dimension of the query scored against the codes. */
    int QUERY_BITS = 4;

    /** The codes and their corrections, by position: an input of its own, for one thread. */
    IndexInput data();

    /** Bytes of one code: the dimension rounded up to 64 bits, over 8. */
    int codeBytes();

    /** Bytes from one vector's code to the next one's. */
    long stride();

    /** The dimension of the vectors. */
    int dimension();

    /** How many vectors the segment holds: their ordinals are 0 to {@code size() - 1}. */
    int size();

    /** The similarity the field was indexed with. */
    VectorSimilarityFunction similarity();

    /** The dot product of the segment's centroid with itself, a term of every score. */
    float centroidDotProduct();

    /**
     * Quantizes {@code query} to {@value #QUERY_BITS} bits per dimension around the segment's
     * centroid, as Lucene's scorer does, into {@code transposed} ({@code QUERY_BITS * codeBytes()}
     * bytes: bit plane {@code j} of every dimension at {@code j * codeBytes()}).
     */
    OptimizedScalarQuantizer.QuantizationResult quantizeQuery(float[] query, byte[] transposed);
  }
}
