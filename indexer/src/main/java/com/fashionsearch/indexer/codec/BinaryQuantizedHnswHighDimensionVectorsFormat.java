package com.fashionsearch.indexer.codec;

import org.apache.lucene.codecs.lucene102.Lucene102HnswBinaryQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;

/**
 * Lucene's HNSW graph over binary-quantized vectors (1 bit per dimension in the graph, raw floats
 * kept for rescoring), allowing up to {@value HighDimensionVectorsFormat#MAX_DIMENSIONS}
 * dimensions. Thread-safe (immutable).
 */
public final class BinaryQuantizedHnswHighDimensionVectorsFormat
    extends HighDimensionVectorsFormat {
  /** The SPI name written into every segment that uses this format. */
  public static final String NAME = "FashionHnswBinaryQuantized";

  /** For Lucene's SPI when reading; writes with Lucene's default HNSW parameters. */
  public BinaryQuantizedHnswHighDimensionVectorsFormat() {
    this(Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN, Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH);
  }

  /**
   * @param maxConn HNSW's M
   * @param beamWidth the candidate list size while building the graph
   */
  public BinaryQuantizedHnswHighDimensionVectorsFormat(int maxConn, int beamWidth) {
    super(NAME, new Lucene102HnswBinaryQuantizedVectorsFormat(maxConn, beamWidth));
  }
}
