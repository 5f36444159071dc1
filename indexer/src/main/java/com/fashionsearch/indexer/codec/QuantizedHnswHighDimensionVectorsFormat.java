package com.fashionsearch.indexer.codec;

import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;

/**
 * Lucene's HNSW graph over scalar-quantized vectors (int8 or int4, the raw floats kept for
 * rescoring and merging), allowing up to {@value HighDimensionVectorsFormat#MAX_DIMENSIONS}
 * dimensions. The number of bits is recorded in the segment, so one SPI name reads both.
 * Thread-safe (immutable).
 */
public final class QuantizedHnswHighDimensionVectorsFormat extends HighDimensionVectorsFormat {
  /** The SPI name written into every segment that uses this format. */
  public static final String NAME = "FashionHnswScalarQuantized";

  /** For Lucene's SPI when reading; writes int8 with Lucene's default HNSW parameters. */
  public QuantizedHnswHighDimensionVectorsFormat() {
    this(
        Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN,
        Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH,
        7);
  }

  /**
   * @param maxConn HNSW's M
   * @param beamWidth the candidate list size while building the graph
   * @param bits 7 (int8 range, Lucene's choice for signed bytes) or 4
   */
  public QuantizedHnswHighDimensionVectorsFormat(int maxConn, int beamWidth, int bits) {
    super(
        NAME,
        new Lucene99HnswScalarQuantizedVectorsFormat(
            maxConn, beamWidth, 1, bits, bits == 4, null, null));
  }
}
