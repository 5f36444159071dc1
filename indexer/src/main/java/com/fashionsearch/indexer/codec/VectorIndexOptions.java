package com.fashionsearch.indexer.codec;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.codecs.KnnVectorsFormat;

/**
 * How the vector field is indexed: HNSW graph parameters and optional quantization. Immutable and
 * thread-safe.
 *
 * @param maxConn HNSW's M, neighbours per node (Lucene's default 16)
 * @param beamWidth candidates considered while building the graph (Lucene's default 100)
 * @param quantization {@link Quantization#NONE} keeps float32 vectors only
 */
public record VectorIndexOptions(int maxConn, int beamWidth, Quantization quantization) {

  /** Vector compression applied inside the graph; the raw floats are always kept. */
  public enum Quantization {
    /**
     * {@link #BBQ} for vectors of {@value #AUTO_BBQ_MIN_DIMENSION} dimensions or more (VGG16's
     * 4096, MobileNet's 1024 and 1280), {@link #NONE} below, where one bit per dimension says too
     * little; resolved against the dimension by {@link VectorIndexOptions#resolve(int)}.
     */
    AUTO,
    /** float32 only. */
    NONE,
    /** Scalar quantization to 7 bits per dimension (Lucene's int8). */
    INT8,
    /** Scalar quantization to 4 bits per dimension, packed. */
    INT4,
    /** Binary quantization, 1 bit per dimension (Lucene's BBQ). */
    BBQ;

    /** The smallest dimension {@link #AUTO} quantizes. */
    public static final int AUTO_BBQ_MIN_DIMENSION = 384;

    /**
     * Parses {@code auto}, {@code none}, {@code int8}, {@code int4} or {@code bbq}, ignoring case.
     */
    public static Quantization parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "quantization must be one of auto, none, int8, int4, bbq; got: '" + value + "'", e);
      }
    }
  }

  private static final Pattern DESCRIPTION =
      Pattern.compile("hnsw\\(m=(\\d{1,4}),beam=(\\d{1,5}),([a-z0-9]+)\\)");

  /** Lucene's defaults, no quantization. */
  public static final VectorIndexOptions DEFAULT =
      new VectorIndexOptions(16, 100, Quantization.NONE);

  /**
   * What {@code fashion reindex} writes by default: Lucene's graph defaults and {@link
   * Quantization#AUTO}, chosen from {@code fashion bench query} (BENCHMARKS.md, "Filtered k-NN
   * queries"): with BBQ in the graph and exact rescoring, filtered queries at every selectivity
   * meet recall and speed goals that float vectors miss between 6% and 47%.
   */
  public static final VectorIndexOptions RECOMMENDED =
      new VectorIndexOptions(16, 100, Quantization.AUTO);

  public VectorIndexOptions {
    if (maxConn < 2 || maxConn > 512) {
      throw new IllegalArgumentException("HNSW M must be between 2 and 512, got: " + maxConn);
    }
    if (beamWidth < 1 || beamWidth > 3200) {
      throw new IllegalArgumentException(
          "HNSW beam width must be between 1 and 3200, got: " + beamWidth);
    }
    if (quantization == null) {
      throw new IllegalArgumentException("quantization must not be null");
    }
  }

  /** These options with {@link Quantization#AUTO} decided for vectors of {@code dimension}. */
  public VectorIndexOptions resolve(int dimension) {
    if (quantization != Quantization.AUTO) {
      return this;
    }
    return new VectorIndexOptions(
        maxConn,
        beamWidth,
        dimension >= Quantization.AUTO_BBQ_MIN_DIMENSION ? Quantization.BBQ : Quantization.NONE);
  }

  /**
   * The Lucene format that writes vectors this way.
   *
   * @throws IllegalStateException for {@link Quantization#AUTO}: {@link #resolve(int)} first
   */
  public KnnVectorsFormat format() {
    requireResolved();
    return switch (quantization) {
      case AUTO -> throw new AssertionError("resolved above");
      case NONE -> new HnswHighDimensionVectorsFormat(maxConn, beamWidth);
      case INT8 -> new QuantizedHnswHighDimensionVectorsFormat(maxConn, beamWidth, 7);
      case INT4 -> new QuantizedHnswHighDimensionVectorsFormat(maxConn, beamWidth, 4);
      case BBQ -> new BinaryQuantizedHnswHighDimensionVectorsFormat(maxConn, beamWidth);
    };
  }

  /** True when the graph scores quantized vectors, so exact scores need the raw floats. */
  public boolean quantized() {
    requireResolved();
    return quantization != Quantization.NONE;
  }

  private void requireResolved() {
    if (quantization == Quantization.AUTO) {
      throw new IllegalStateException(
          "quantization auto depends on the dimension: resolve(dimension) first");
    }
  }

  /**
   * Reads back what {@link #describe()} wrote.
   *
   * @throws IllegalArgumentException naming the text when it is not such a description
   */
  public static VectorIndexOptions parse(String description) {
    Matcher m = DESCRIPTION.matcher(description.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a vector index description like hnsw(m=16,beam=100,none): '" + description + "'");
    }
    return new VectorIndexOptions(
        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Quantization.parse(m.group(3)));
  }

  /** A short description recorded in the index metadata: {@code hnsw(m=16,beam=100,none)}. */
  public String describe() {
    return "hnsw(m="
        + maxConn
        + ",beam="
        + beamWidth
        + ","
        + quantization.name().toLowerCase(Locale.ROOT)
        + ")";
  }
}
