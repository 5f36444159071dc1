package com.fashionsearch.indexer.codec;

import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;

/**
 * Lucene's HNSW graph over full float32 vectors, allowing up to {@value
 * HighDimensionVectorsFormat#MAX_DIMENSIONS} dimensions. Thread-safe (immutable).
 */
public final class HnswHighDimensionVectorsFormat extends HighDimensionVectorsFormat {
  /** The SPI name written into every segment that uses this format. */
  public static final String NAME = "FashionHnsw";

  /** For Lucene's SPI when reading; writes with Lucene's default HNSW parameters. */
  public HnswHighDimensionVectorsFormat() {
    this(Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN, Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH);
  }

  /**
   * @param maxConn HNSW's M, the neighbours kept per node
   * @param beamWidth the candidate list size while building the graph
   */
  public HnswHighDimensionVectorsFormat(int maxConn, int beamWidth) {
    super(NAME, new Lucene99HnswVectorsFormat(maxConn, beamWidth));
  }
}
