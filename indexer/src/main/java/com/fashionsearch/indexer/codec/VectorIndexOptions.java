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
    /** float32 only. */
    NONE,
    /** Scalar quantization to 7 bits per dimension (Lucene's int8). */
    INT8,
    /** Scalar quantization to 4 bits per dimension, packed. */
    INT4,
    /** Binary quantization, 1 bit per dimension (Lucene's BBQ). */
    BBQ;

    /** Parses {@code none}, {@code int8}, {@code int4} or {@code bbq}, ignoring case. */
    public static Quantization parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "quantization must be one of none, int8, int4, bbq; got: '" + value + "'", e);
      }
    }
  }

  private static final Pattern DESCRIPTION = Pattern.compile("hnsw\\(m=(\\d{1,4}),beam=(\\d{1,5}),([a-z0-9]+)\\)");

  /** Lucene's defaults, no quantization. */
  public static final VectorIndexOptions DEFAULT = new VectorIndexOptions(16, 100, Quantization.NONE);

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

  /** The Lucene format that writes vectors this way. */
  public KnnVectorsFormat format() {
    return switch (quantization) {
      case NONE -> new HnswHighDimensionVectorsFormat(maxConn, beamWidth);
      case INT8 -> new QuantizedHnswHighDimensionVectorsFormat(maxConn, beamWidth, 7);
      case INT4 -> new QuantizedHnswHighDimensionVectorsFormat(maxConn, beamWidth, 4);
      case BBQ -> new BinaryQuantizedHnswHighDimensionVectorsFormat(maxConn, beamWidth);
    };
  }

  /** True when the graph scores quantized vectors, so exact scores need the raw floats. */
  public boolean quantized() {
    return quantization != Quantization.NONE;
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
    return "hnsw(m=" + maxConn + ",beam=" + beamWidth + "," + quantization.name().toLowerCase(Locale.ROOT) + ")";
  }
}
